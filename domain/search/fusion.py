"""Reciprocal rank fusion: one ranking from several, each hit scored by the sum of
`1 / (k + rank)` over the rankings that hold it (Cormack et al., 2009)."""

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = 60
"""The constant of the original paper; it damps the weight of the very first ranks."""

Id = TypeVar("Id", bound=Hashable)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Id]], *, k: int = K, limit: int | None = None,
) -> list[tuple[Id, float]]:
    """(id, score) best first, the score scaled to 0..1 (1: first in every ranking); ties
    keep the order in which the rankings first name them."""
    scores: dict[Id, float] = {}
    for ranking in rankings:
        for rank, hit in enumerate(dict.fromkeys(ranking), start=1):
            scores[hit] = scores.get(hit, 0.0) + 1.0 / (k + rank)
    best = len(rankings) / (k + 1) if rankings else 1.0
    fused = sorted(scores.items(), key=lambda item: -item[1])
    return [(hit, score / best) for hit, score in fused[:limit]]
