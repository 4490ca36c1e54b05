"""Accuracy against the truth: pairwise and cluster precision, recall and F1.

*Pairwise*: of the record pairs said to match, how many truly do (precision), and of the true pairs,
how many were found (recall). *Cluster*: an entity counts as right only when its records are exactly
one true entity's records — the measure that punishes both over- and under-linking of whole entities.
With ``cross_source_only`` only pairs of records from different sources count (a pure linkage task
such as FEBRL4, where no source has duplicates of its own).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Hashable, Iterable, Mapping

Key = tuple[str, str]


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.true_positives + self.false_positives + self.false_negatives
        return 2 * self.true_positives / denominator if denominator else 1.0

    def as_dict(self) -> dict[str, float]:
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "f1": self.f1}


def _pair(a: Key, b: Key) -> tuple[Key, Key]:
    return (a, b) if a <= b else (b, a)


def truth_pairs(truth: Mapping[Key, Hashable], cross_source_only: bool = False) -> set[tuple[Key, Key]]:
    """Every pair of records that belong to the same true entity."""
    groups: dict[Hashable, list[Key]] = {}
    for key, entity in truth.items():
        if entity is not None:
            groups.setdefault(entity, []).append(key)
    return {_pair(a, b) for members in groups.values() for a, b in combinations(members, 2)
            if not (cross_source_only and a[0] == b[0])}


def pairwise(predicted: Iterable[tuple[Key, Key]], truth: Mapping[Key, Hashable],
             cross_source_only: bool = False) -> Score:
    """Score predicted pairs (e.g. the links at the threshold) against the truth."""
    found = {_pair(a, b) for a, b in predicted if not (cross_source_only and a[0] == b[0])}
    true = truth_pairs(truth, cross_source_only)
    hits = len(found & true)
    return Score(hits, len(found) - hits, len(true) - hits)


def pairwise_from_clusters(clusters: Mapping[Key, Hashable], truth: Mapping[Key, Hashable],
                           cross_source_only: bool = False) -> Score:
    """Score the pairs implied by clusters (every two records in one cluster) against the truth."""
    return pairwise(truth_pairs(clusters, cross_source_only), truth, cross_source_only)


def cluster_scores(clusters: Mapping[Key, Hashable], truth: Mapping[Key, Hashable]) -> Score:
    """Exact-entity precision and recall: a predicted cluster is a hit when it equals a true entity.

    Records missing from the truth are ignored; so are true entities none of whose records were resolved.
    """
    keys = [k for k in clusters if k in truth]
    predicted: dict[Hashable, frozenset[Key]] = {}
    actual: dict[Hashable, frozenset[Key]] = {}
    for key in keys:
        predicted.setdefault(clusters[key], set()).add(key)  # type: ignore[arg-type]
        actual.setdefault(truth[key], set()).add(key)  # type: ignore[arg-type]
    predicted_sets = {frozenset(v) for v in predicted.values()}
    actual_sets = {frozenset(v) for v in actual.values()}
    hits = len(predicted_sets & actual_sets)
    return Score(hits, len(predicted_sets) - hits, len(actual_sets) - hits)


def size_distribution(clusters: Mapping[Key, Hashable]) -> dict[int, int]:
    """Cluster size → how many clusters have it."""
    return dict(sorted(Counter(Counter(clusters.values()).values()).items()))
