"""Which Cycles device renders: the ``--device auto|cpu|gpu`` policy as a pure function.

The Blender worker lists the devices Cycles reports as ``(type, name)`` pairs and
asks :func:`choose_device` which compute type to enable. Keeping the decision free of
bpy makes it testable on machines without a GPU (or without Blender).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scenegen.errors import RenderError

DEVICE_POLICIES = ("auto", "cpu", "gpu")
GPU_TYPES = ("OPTIX", "CUDA", "HIP", "METAL", "ONEAPI")
"""Cycles compute types in order of preference: OptiX beats CUDA on the same NVIDIA card."""
CPU = "CPU"


@dataclass(frozen=True)
class DeviceChoice:
    """The compute type to enable and the devices of that type that will render."""

    compute_type: str  # "CPU" or one of GPU_TYPES
    names: tuple[str, ...] = ()

    @property
    def is_gpu(self) -> bool:
        return self.compute_type != CPU

    def describe(self) -> str:
        """What clip.json records, e.g. ``"CPU"`` or ``"OPTIX: NVIDIA H100 80GB HBM3"``."""
        if not self.is_gpu:
            return CPU
        return f"{self.compute_type}: {', '.join(self.names)}"


def choose_device(available: Iterable[tuple[str, str]], policy: str) -> DeviceChoice:
    """Pick the compute device for ``policy`` from the ``(type, name)`` devices Cycles lists.

    ``cpu`` always renders on the CPU. ``auto`` takes the first GPU type of
    :data:`GPU_TYPES` that has a device, else the CPU. ``gpu`` does the same but
    raises :class:`RenderError` instead of falling back: Blender itself would silently
    render on the CPU.
    """
    if policy not in DEVICE_POLICIES:
        raise RenderError(
            f"unknown device policy {policy!r}", hint=f"valid: {', '.join(DEVICE_POLICIES)}"
        )
    if policy == "cpu":
        return DeviceChoice(CPU)
    devices = list(available)
    for gpu_type in GPU_TYPES:
        names = tuple(name for kind, name in devices if kind == gpu_type)
        if names:
            return DeviceChoice(gpu_type, names)
    if policy == "gpu":
        listed = ", ".join(f"{kind}: {name}" for kind, name in devices) or "none"
        raise RenderError(
            f"device 'gpu' was asked for but Cycles finds no usable GPU (devices found: {listed})",
            hint="use --device cpu, or --device auto to fall back to the CPU; "
            "check the GPU driver (nvidia-smi / rocm-smi)",
        )
    return DeviceChoice(CPU)
