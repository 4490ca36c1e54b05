"""From scored pairs to entities: clustering with a guard against chaining, and ids that stay put.

Connected components alone let one weak link join two large clusters (two brothers at one address,
a father and son with one name). :func:`cluster` merges clusters strongest link first, like
connected components, but joins two clusters that both have several records only when enough of
their records link to each other — one link is not enough. :func:`cluster_arrays` gives the same
clusters on integer arrays, for millions of records.

Entity ids are stable: an id is the hash of a member's ``source``/``unique_id``, and on a re-run
with ``previous`` ids each new cluster keeps the id most of its members had before.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

Key = tuple[str, str]


@dataclass(frozen=True)
class Guardrail:
    """When may two multi-record clusters merge?

    ``min_support``: the share of the smaller cluster's records that must each link (at or above
    the threshold) to some record of the other. ``large`` is the size from which a cluster counts
    as multi-record (a single record joins a cluster on its best link alone).
    """

    min_support: float = 0.5
    large: int = 2

    def needed(self, size_a: int, size_b: int) -> int:
        if min(size_a, size_b) < self.large:
            return 1
        return max(2, math.ceil(self.min_support * min(size_a, size_b)))


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))
        self.members: list[list[int]] = [[i] for i in range(n)]

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a].extend(self.members[b])
        self.members[b] = []


def cluster(
    n: int,
    edges: Sequence[tuple[int, int, float]],
    threshold: float,
    guardrail: Guardrail | None = Guardrail(),
) -> list[int]:
    """A cluster label per node, from ``(a, b, probability)`` edges at or above ``threshold``.

    Edges are taken strongest first (ties broken by node index, so the result never depends on
    input order). Without a guardrail this is connected components.
    """
    strong = sorted(((p, min(a, b), max(a, b)) for a, b, p in edges if p >= threshold and a != b),
                    key=lambda e: (-e[0], e[1], e[2]))
    uf = _UnionFind(n)
    neighbours: dict[int, set[int]] = {}
    for _, a, b in strong:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    for _, a, b in strong:
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        if guardrail is not None:
            size_a, size_b = len(uf.members[ra]), len(uf.members[rb])
            needed = guardrail.needed(size_a, size_b)
            if needed > 1:
                small, other = (ra, rb) if size_a <= size_b else (rb, ra)
                support = sum(1 for x in uf.members[small]
                              if any(uf.find(y) == other for y in neighbours.get(x, ())))
                if support < needed:
                    continue
        uf.union(ra, rb)
    return [uf.find(i) for i in range(n)]


def component_labels(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components on integer arrays: each node's label is the smallest node of its component.

    Vectorised label propagation (each edge pulls both ends to the smaller label, then labels jump to
    their label's label) — a handful of passes for the short chains record linkage gives, and no
    Python object per pair.
    """
    labels = np.arange(n, dtype=np.int64)
    left = np.asarray(left, np.int64)
    right = np.asarray(right, np.int64)
    if left.size == 0:
        return labels
    while True:
        low = np.minimum(labels[left], labels[right])
        before = labels.copy()
        np.minimum.at(labels, left, low)
        np.minimum.at(labels, right, low)
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels, before):
            return labels


def cluster_arrays(
    n: int,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    threshold: float,
    guardrail: Guardrail | None = Guardrail(),
) -> np.ndarray:
    """:func:`cluster` on integer arrays, for millions of records: the same clusters, computed fast.

    Connected components are found with arrays. The guardrail can only refuse a merge of two clusters
    that both have ``guardrail.large`` records or more, so only components at least twice that size
    go through the edge-by-edge merge of :func:`cluster` — each on its own, which gives the same
    result because no edge joins two components.
    """
    left = np.asarray(left, np.int64)
    right = np.asarray(right, np.int64)
    probability = np.asarray(probability, np.float64)
    keep = (probability >= threshold) & (left != right)
    left, right, probability = left[keep], right[keep], probability[keep]
    labels = component_labels(n, left, right)
    if guardrail is None or left.size == 0:
        return labels
    sizes = np.bincount(labels, minlength=n)
    guarded = sizes[labels[left]] >= 2 * max(guardrail.large, 1)
    if not guarded.any():
        return labels
    g_left, g_right, g_prob = left[guarded], right[guarded], probability[guarded]
    nodes = np.unique(np.concatenate([g_left, g_right]))
    local = cluster(len(nodes), list(zip(np.searchsorted(nodes, g_left).tolist(),
                                         np.searchsorted(nodes, g_right).tolist(), g_prob.tolist())),
                    threshold, guardrail)
    labels[nodes] = nodes[np.asarray(local, np.int64)]
    return labels


def hashed_id(key: Key, prefix: str) -> str:
    """``prefix`` + 16 hex digits of the hash of ``source``/``unique_id``."""
    digest = hashlib.sha1(f"{key[0]}\x1f{key[1]}".encode("utf-8")).hexdigest()[:16]
    return f"{prefix}{digest}"


def stable_ids(
    keys: Sequence[Key],
    labels: Sequence[int],
    prefix: str,
    previous: Mapping[Key, str] | None = None,
) -> list[str]:
    """An entity id per record, the same for the same cluster across runs.

    A cluster whose members were seen before keeps the id most of them had (a previous id goes to
    one cluster only: if a cluster split, its larger part keeps the id). Any other cluster takes the
    hash of its first member, in (source, unique_id) order, whose hash is not yet taken.
    """
    previous = previous or {}
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, []).append(i)
    ordered = sorted(groups.values(), key=lambda members: min(keys[i] for i in members))
    claims: list[tuple[int, str, int]] = []
    for g, members in enumerate(ordered):
        votes = Counter(previous[keys[i]] for i in members if keys[i] in previous)
        for old_id, count in votes.items():
            claims.append((count, old_id, g))
    taken: set[str] = set()
    chosen: dict[int, str] = {}
    for count, old_id, g in sorted(claims, key=lambda c: (-c[0], c[1], c[2])):
        if g not in chosen and old_id not in taken:
            chosen[g] = old_id
            taken.add(old_id)
    # Fresh ids must not collide with a previous id still held elsewhere.
    reserved = taken | set(previous.values())
    out = [""] * len(keys)
    for g, members in enumerate(ordered):
        cid = chosen.get(g)
        if cid is None:
            for i in sorted(members, key=lambda i: keys[i]):
                candidate = hashed_id(keys[i], prefix)
                if candidate not in reserved:
                    cid = candidate
                    break
            else:
                cid = hashed_id((keys[min(members, key=lambda i: keys[i])][0], f"{len(reserved)}#"), prefix)
            reserved.add(cid)
        for i in members:
            out[i] = cid
    return out
