"""The Ray executor: the same shard attempts as Ray tasks, on a cluster or a local instance.

Each attempt is one task that asks for ``num_cpus = threads`` and, when the
cluster has GPUs and the spec's device allows them, ``num_gpus = 1``. The task
runs the very same worker subprocess as the local executor
(:func:`render_farm.process.run_attempt`, timeout included) on whichever node Ray
picks, so the output folder must be on storage every node mounts at the same path.
Ray's own task retries are off: the coordinator retries by failure class, exactly
as it does locally. The timeout runs inside the task, from the moment it starts,
so tasks queued behind a busy (or autoscaling) cluster never time out for waiting;
a node that dies fails its tasks with a Ray error, counted as a crash.

``address`` is a running cluster (``HOST:PORT`` of its head, or ``auto``);
without one, and without ``RAY_ADDRESS``, Ray starts a local instance for the build.
A caller that already ran ``ray.init`` keeps its session.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import asdict
from typing import Any

from render_farm.executor import WorkerUpdate
from render_farm.process import AttemptResult, AttemptSpec, FailureClass, run_attempt
from scenegen.errors import ScenegenError

log = logging.getLogger(__name__)


def _attempt_task(spec: dict[str, Any]) -> dict[str, Any]:
    """Body of the Ray task: one attempt, run to its end on the node Ray chose."""
    import ray

    result = run_attempt(AttemptSpec(**spec)).to_json()
    # Several Ray nodes can share a host name: the node id tells them apart.
    result["node"] = f"{result['node']}/{ray.get_runtime_context().get_node_id()[:12]}"
    return result


class RayExecutor:
    """Runs attempts as Ray tasks."""

    name = "ray"

    def __init__(
        self, address: str | None, workers: int | None, threads: int | None, device: str
    ) -> None:
        try:
            import ray
        except ImportError:
            raise ScenegenError(
                "the ray executor needs Ray", hint="pip install 'scenegen[ray]'"
            ) from None
        self.ray = ray
        self.running: dict[Any, tuple[AttemptSpec, float]] = {}
        self.owns_session = not ray.is_initialized()
        if self.owns_session:
            kwargs: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
            if address is None and "RAY_ADDRESS" not in os.environ:
                kwargs["include_dashboard"] = False  # a throwaway local instance
            try:
                ray.init(address=address, **kwargs)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ScenegenError(
                    f"cannot connect to the Ray cluster at {address}: {exc}",
                    hint="start one with 'ray start --head', or leave out --address for a "
                    "local instance",
                ) from None
        resources = ray.cluster_resources()
        cpus, gpus = int(resources.get("CPU", 1)), int(resources.get("GPU", 0))
        self.use_gpu = gpus > 0 and device in ("auto", "gpu")
        if device == "gpu" and not gpus:
            self.stop()
            raise ScenegenError(
                "the spec asks for device: gpu, but the Ray cluster has no GPU",
                hint="use device: auto (GPUs when present) or cpu",
            )
        # A GPU task renders on its GPU; "auto" on a CPU-only cluster is plain CPU.
        self.device = "gpu" if self.use_gpu else ("cpu" if device == "auto" else device)
        self.threads = threads or 1
        by_cpu = max(1, cpus // self.threads)
        # More slots than the cluster has room for is fine: Ray queues the tasks, and
        # an autoscaling cluster grows for them.
        self.slots = workers or (min(by_cpu, gpus) if self.use_gpu else by_cpu)
        self.remote = ray.remote(_attempt_task).options(
            num_cpus=self.threads, num_gpus=1 if self.use_gpu else 0, max_retries=0
        )
        log.info(
            "Ray: %d CPU, %d GPU; %d task(s) at once, %d thread(s) each",
            cpus,
            gpus,
            self.slots,
            self.threads,
        )

    def start(self, spec: AttemptSpec) -> None:
        """Submit one attempt as a task."""
        ref = self.remote.remote(asdict(spec))
        self.running[ref] = (spec, time.monotonic())

    def poll(self, timeout_s: float) -> tuple[list[WorkerUpdate], list[AttemptResult]]:
        """Collect the tasks that finished within ``timeout_s``."""
        results: list[AttemptResult] = []
        if not self.running:
            time.sleep(timeout_s)
            return [], results
        refs = list(self.running)
        ready, _ = self.ray.wait(refs, num_returns=1, timeout=timeout_s)
        if ready:
            ready, _ = self.ray.wait(refs, num_returns=len(refs), timeout=0)
        for ref in ready:
            spec, started = self.running.pop(ref)
            results.append(self._result(ref, spec, started))
        return [], results

    def _result(self, ref: Any, spec: AttemptSpec, started: float) -> AttemptResult:
        try:
            return AttemptResult.from_json(self.ray.get(ref))
        except self.ray.exceptions.RayError as exc:
            # The task's worker process or its node died: the shard itself may be fine.
            return AttemptResult(
                clip=spec.clip,
                attempt=spec.attempt,
                ok=False,
                failure=FailureClass.CRASH,
                message=f"Ray task failed: {type(exc).__name__}: {str(exc)[:500]}",
                seconds=time.monotonic() - started,
                log_file=spec.log_file,
            )

    def stop(self) -> list[str]:
        """Cancel every running task; end the Ray session if this executor started it."""
        clips = [spec.clip for spec, _ in self.running.values()]
        refs = list(self.running)
        for ref in refs:
            self.ray.cancel(ref, force=True)
        if refs:
            # Let the cancelled tasks end (their workers die with them) before the
            # coordinator cleans what they left.
            self.ray.wait(refs, num_returns=len(refs), timeout=30)
        self.running.clear()
        if self.owns_session:
            self.ray.shutdown()
        return clips
