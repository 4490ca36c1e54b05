"""From scored pairs to entities: clustering with a guard against chaining, and ids that stay put.

Connected components alone let one weak link join two large clusters (two brothers at one address,
a father and son with one name). :func:`cluster` merges clusters strongest link first, like
connected components, but joins two clusters that both have several records only when enough of
their records link to each other — one link is not enough. :func:`cluster_arrays` gives the same
clusters on integer arrays, for millions of records.

Some records cannot belong to one person however strongly the pairwise model links them: two dates
of birth, a register entry with middle names and one without, a person living at two properties at
once for more than a year, the two people a joint record names. :class:`RecordFacts` holds what each
record says on these points and the clustering refuses any merge that would put a contradiction in
one cluster (a *cannot-link*), whichever edge proposes it.

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


#: Days two residences at different properties may overlap within one person: a mover's old register
#: entry is often kept for the next year (365 days), and liabilities end late; namesakes living in the
#: borough at the same time overlap for years.
MAX_CONCURRENT_DAYS = 400

#: Records per batch of the edge-by-edge merge in :func:`cluster_arrays`: its Python objects (a few
#: hundred bytes per record and per edge) then stay in the tens of megabytes at any scale.
MERGE_BATCH_RECORDS = 10_000


@dataclass(frozen=True)
class RecordFacts:
    """Per record (same order as the clustered records), what one person cannot contradict.

    ``place``: property code (UPRN; -1 unknown, and then the record's period says nothing);
    ``start``/``end``: residence period in days (NaN unknown; an unknown end counts as the start
    alone: an open liability may be stale); ``born``: date of birth ``YYYYMMDD`` (None unknown);
    ``middle``: middle names as a source that lists them gives them ('' = none listed, None = the
    source does not list them); ``partner``: a record that names a different person (the other
    person of a joint record; -1 none).
    """

    place: np.ndarray
    start: np.ndarray
    end: np.ndarray
    born: Sequence[str | None]
    middle: Sequence[str | None]
    partner: np.ndarray
    max_concurrent_days: float = MAX_CONCURRENT_DAYS

    def may_clash(self, labels: np.ndarray) -> np.ndarray:
        """Per record: does its component (``labels``) hold two values that could contradict?"""
        n = len(labels)
        out = np.zeros(n, bool)
        for values in (self.place, _codes(self.born), _codes(self.middle)):
            known = values >= 0
            pairs = np.unique(np.stack([labels[known], values[known]]), axis=1)
            counts = np.bincount(pairs[0], minlength=n)
            out |= counts[labels] > 1
        partnered = self.partner >= 0
        out[partnered] = True
        out[self.partner[partnered]] = True
        if out.any():
            out = np.isin(labels, np.unique(labels[out]))
        return out

    def take(self, nodes: np.ndarray) -> "RecordFacts":
        """The facts of records ``nodes`` (sorted), renumbered 0..len(nodes)-1."""
        partner = self.partner[nodes]
        local = np.searchsorted(nodes, np.maximum(partner, 0))
        found = (partner >= 0) & (local < len(nodes)) & (nodes[np.minimum(local, len(nodes) - 1)] == partner)
        return RecordFacts(self.place[nodes], self.start[nodes], self.end[nodes],
                           [self.born[i] for i in nodes.tolist()], [self.middle[i] for i in nodes.tolist()],
                           np.where(found, local, -1), self.max_concurrent_days)


def _codes(values: Sequence[str | None]) -> np.ndarray:
    """Integer codes of text values, -1 for None."""
    codes: dict[str, int] = {}
    return np.fromiter((-1 if v is None else codes.setdefault(v, len(codes)) for v in values), np.int64,
                       count=len(values))


def _dates_agree(a: str, b: str) -> bool:
    """One date of birth typed twice: equal, one character wrong, or day and month swapped."""
    if a == b:
        return True
    if len(a) == len(b) and sum(x != y for x, y in zip(a, b)) <= 1:
        return True
    return len(a) == len(b) == 8 and a[:4] == b[:4] and a[4:6] == b[6:8] and a[6:8] == b[4:6]


def _middles_agree(a: str, b: str) -> bool:
    """Middle names as listed: the same, or one an initial or the first of the other's names."""
    if a == b:
        return True
    if not a or not b:
        return False
    return a[0] == b[0] and (len(a) == 1 or len(b) == 1 or a.startswith(b) or b.startswith(a))


def _overlap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> float:
    """Days two sets of periods (each already merged into disjoint periods) overlap."""
    return sum(max(0.0, min(e1, e2) - max(s1, s2) + 1) for s1, e1 in a for s2, e2 in b)


def _merged(periods: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for s, e in sorted(periods):
        if out and s <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


class _Summary:
    """What a cluster's records say: dates of birth, middle names, where and when they lived."""

    __slots__ = ("born", "middle", "periods", "forbidden")

    def __init__(self, born: str | None, middle: str | None, place: int, start: float, end: float, partner: int):
        self.born = set() if born is None else {born}
        self.middle = set() if middle is None else {middle}
        self.periods: dict[int, list[tuple[float, float]]] = {}
        if place >= 0 and not math.isnan(start):
            self.periods[place] = [(start, start if math.isnan(end) else max(start, end))]
        self.forbidden = set() if partner < 0 else {partner}

    @staticmethod
    def of_records(facts: RecordFacts) -> list["_Summary"]:
        return [_Summary(*values) for values in zip(facts.born, facts.middle, facts.place.tolist(),
                                                    facts.start.tolist(), facts.end.tolist(),
                                                    facts.partner.tolist())]

    def clashes(self, other: "_Summary", members: list[int], members_other: list[int], facts: RecordFacts) -> bool:
        """Would one cluster of this one's records (``members``) and the other's hold a contradiction?"""
        if self.forbidden and not self.forbidden.isdisjoint(members_other):
            return True
        if other.forbidden and not other.forbidden.isdisjoint(members):
            return True
        if any(not _dates_agree(a, b) for a in self.born for b in other.born):
            return True
        if any(not _middles_agree(a, b) for a in self.middle for b in other.middle):
            return True
        days = 0.0
        for p, mine in self.periods.items():
            for q, theirs in other.periods.items():
                if p != q:
                    days += _overlap(mine, theirs)
                    if days > facts.max_concurrent_days:
                        return True
        return False

    def absorb(self, other: "_Summary") -> None:
        self.born |= other.born
        self.middle |= other.middle
        for p, periods in other.periods.items():
            self.periods[p] = _merged(self.periods.get(p, []) + periods)
        self.forbidden |= other.forbidden


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
    facts: RecordFacts | None = None,
) -> list[int]:
    """A cluster label per node, from ``(a, b, probability)`` edges at or above ``threshold``.

    Edges are taken strongest first (ties broken by node index, so the result never depends on
    input order). With ``facts``, a merge that would put a contradiction in one cluster is refused.
    Without a guardrail or facts this is connected components.
    """
    strong = sorted(((p, min(a, b), max(a, b)) for a, b, p in edges if p >= threshold and a != b),
                    key=lambda e: (-e[0], e[1], e[2]))
    uf = _UnionFind(n)
    neighbours: dict[int, set[int]] = {}
    for _, a, b in strong:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    summaries = _Summary.of_records(facts) if facts is not None else None
    # Adding records only adds contradictions, so two clusters that clash always will: remember them
    # (clusters that share many edges are otherwise compared once per edge).
    clashing: set[tuple[int, int]] = set()
    for _, a, b in strong:
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        if summaries is not None:
            pair = (ra, rb) if ra < rb else (rb, ra)
            if pair in clashing:
                continue
            if summaries[ra].clashes(summaries[rb], uf.members[ra], uf.members[rb], facts):
                clashing.add(pair)
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
        if summaries is not None:
            kept, gone = (ra, rb) if uf.find(ra) == ra else (rb, ra)
            summaries[kept].absorb(summaries[gone])
            summaries[gone] = None  # type: ignore[call-overload]
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
    facts: RecordFacts | None = None,
    batch_records: int = MERGE_BATCH_RECORDS,
) -> np.ndarray:
    """:func:`cluster` on integer arrays, for millions of records: the same clusters, computed fast.

    Connected components are found with arrays; components where ``facts`` could clash go through
    the edge-by-edge merge too. The guardrail can only refuse a merge of two clusters
    that both have ``guardrail.large`` records or more, so only components at least twice that size
    go through the edge-by-edge merge of :func:`cluster` — whole components at a time, in batches of
    about ``batch_records`` records, which gives the same result because no edge joins two
    components, and keeps the merge's Python objects to one batch's worth.
    """
    left = np.asarray(left, np.int64)
    right = np.asarray(right, np.int64)
    probability = np.asarray(probability, np.float64)
    keep = (probability >= threshold) & (left != right)
    left, right, probability = left[keep], right[keep], probability[keep]
    labels = component_labels(n, left, right)
    if (guardrail is None and facts is None) or left.size == 0:
        return labels
    guarded = np.zeros(left.size, bool)
    if guardrail is not None:
        sizes = np.bincount(labels, minlength=n)
        guarded |= sizes[labels[left]] >= 2 * max(guardrail.large, 1)
    if facts is not None:
        guarded |= facts.may_clash(labels)[left]
    if not guarded.any():
        return labels
    g_left, g_right, g_prob = left[guarded], right[guarded], probability[guarded]
    batch = _component_batches(labels, g_left, g_right, batch_records)
    order = np.argsort(batch, kind="stable")
    bounds = np.flatnonzero(np.r_[True, batch[order][1:] != batch[order][:-1], True])
    for start, stop in zip(bounds[:-1], bounds[1:]):
        part = order[start:stop]
        b_left, b_right = g_left[part], g_right[part]
        nodes = np.unique(np.concatenate([b_left, b_right]))
        local = cluster(len(nodes), list(zip(np.searchsorted(nodes, b_left).tolist(),
                                             np.searchsorted(nodes, b_right).tolist(), g_prob[part].tolist())),
                        threshold, guardrail, facts.take(nodes) if facts is not None else None)
        labels[nodes] = nodes[np.asarray(local, np.int64)]
    return labels


def _component_batches(labels: np.ndarray, left: np.ndarray, right: np.ndarray, batch_records: int) -> np.ndarray:
    """Per edge, a batch number: whole components (``labels``) together, about ``batch_records`` records a batch."""
    nodes = np.unique(np.concatenate([left, right]))
    by_component = nodes[np.argsort(labels[nodes], kind="stable")]
    component = labels[by_component]
    starts = np.flatnonzero(np.r_[True, component[1:] != component[:-1]])
    node_batch = np.repeat(starts // max(1, batch_records), np.diff(np.r_[starts, len(by_component)]))
    batch_of = np.zeros(len(labels), np.int64)
    batch_of[by_component] = node_batch
    return batch_of[left]


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
