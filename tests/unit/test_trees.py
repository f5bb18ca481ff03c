"""Trees as geometry: sizes in metres, leaves as quads in the crown, budgets, seeds."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.assets import trees
from scenegen.gt.triangles import is_closed

GROUND = np.array([3.0, -2.0, 0.5])


def build(name: str, seed: int = 0, crown: float = 2.0, trunk: float = 3.0):
    return trees.tree(trees.SPECIES[name], GROUND, trunk, 0.15, crown, np.random.default_rng(seed))


def leaf_lengths(mesh) -> np.ndarray:
    quads = mesh.vertices.reshape(-1, 4, 3)
    return np.linalg.norm(quads[:, 0] - quads[:, 2], axis=1)  # tip to tail


@pytest.mark.parametrize("name", trees.STREET_SPECIES)
def test_tree_stands_on_its_ground_with_the_crown_on_top(name: str) -> None:
    species = trees.SPECIES[name]
    t = build(name)
    wood = t.wood.vertices
    assert is_closed(t.wood)  # trunk and branches are solids
    assert wood[:, 2].min() == pytest.approx(GROUND[2] - 0.2)  # sunk into the ground
    base = wood[wood[:, 2] < GROUND[2] + 0.1]
    np.testing.assert_allclose(base[:, :2].mean(axis=0), GROUND[:2], atol=1e-9)
    leaves = t.leaves.vertices
    # The crown: above the bare trunk, about the crown's radius wide, as tall as its shape.
    assert leaves[:, 2].min() > GROUND[2] + 3.0 - 0.5
    reach = np.linalg.norm(leaves[:, :2] - GROUND[:2], axis=1)
    assert 1.6 < reach.max() < 2.0 * (1 + species.clump) + 0.2
    height = leaves[:, 2].max() - leaves[:, 2].min()
    assert 2 * 2.0 * species.crown_shape * 0.8 < height < 2 * 2.0 * species.crown_shape * 1.5


@pytest.mark.parametrize("name", trees.STREET_SPECIES)
def test_leaves_are_small_quads_within_budget(name: str) -> None:
    species = trees.SPECIES[name]
    small = build(name, crown=0.5)
    assert len(small.leaves.faces) == 2 * (len(small.leaves.vertices) // 4)
    assert len(small.leaves.faces) < 2 * trees.MAX_LEAVES  # under the cap: true leaf sizes
    lengths = leaf_lengths(small.leaves)
    lo, hi = species.leaf
    assert lengths.min() >= 0.75 * lo - 1e-9 and lengths.max() <= 1.25 * hi + 1e-9
    # A big crown keeps the budget with bigger leaves, not more of them.
    big = build(name, crown=4.0)
    assert len(big.leaves.faces) == 2 * trees.MAX_LEAVES
    assert np.median(leaf_lengths(big.leaves)) > np.median(lengths)


def test_crown_has_gaps_to_see_through() -> None:
    # Directions from the crown's centre: clumps cover most of them, not all.
    t = build("plane")
    centre = GROUND + np.array([0.0, 0.0, 3.0 + 2.0 * trees.SPECIES["plane"].crown_shape])
    d = t.leaves.vertices - centre
    azimuth = np.arctan2(d[:, 1], d[:, 0])
    elevation = np.arcsin(d[:, 2] / np.linalg.norm(d, axis=1))
    bins, _, _ = np.histogram2d(azimuth, elevation, bins=(24, 8))
    filled = (bins > 0).mean()
    assert 0.4 < filled < 0.995


def test_every_draw_comes_from_the_generator() -> None:
    a, b, c = build("linden", 1), build("linden", 1), build("linden", 2)
    np.testing.assert_array_equal(a.leaves.vertices, b.leaves.vertices)
    np.testing.assert_array_equal(a.wood.vertices, b.wood.vertices)
    assert a.leaves.vertices.shape != c.leaves.vertices.shape or not np.allclose(
        a.leaves.vertices, c.leaves.vertices
    )


def test_species_are_drawn_with_their_weights() -> None:
    rng = np.random.default_rng(5)
    names = [trees.pick_species(rng).name for _ in range(4000)]
    shares = [names.count(n) / len(names) for n in trees.STREET_SPECIES]
    np.testing.assert_allclose(shares, trees.STREET_WEIGHTS, atol=0.03)
