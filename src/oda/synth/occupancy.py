"""Hidden truth per dwelling: tenure, HMO status, and who lived there when.

Tenure follows the inner-London stock mix (blocks mostly social, converted flats and flats over
shops mostly private rented). HMOs are drawn from private lets, weighted to large terraced houses;
only a share are licensed, mostly the big ones. Each HMO has a *visibility* between 0 and 1: loud
HMOs leave traces in many systems, quiet ones almost none. Confounders are built in: student lets
(many unrelated young people, yearly churn), large extended families, social housing, homes let
to the council as temporary accommodation (fast turnover of families on benefit), and owner-occupiers
with lodgers (unrelated young adults, legally not an HMO).

Occupancy is a set of *spells*: one household living in one dwelling from ``start`` to ``end``
(days from the window start; ``ONGOING`` if still there). An HMO has one single-person spell per
tenant, with fast turnover.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from oda.synth.gazetteer import BLOCK_FLAT, CONV_FLAT, DETACHED, SEMI, SHOP_FLAT, TERRACED

OWNER, PRIVATE, SOCIAL, VACANT = range(4)
TENURE_NAMES = ("owner_occupied", "private_rented", "social_rented", "vacant")
ONGOING = 1_000_000
HOUSEHOLD_KINDS = ("single", "couple", "family", "lone_parent", "sharers", "large_family", "students",
                   "hmo_tenant", "lodger")
SINGLE, COUPLE, FAMILY, LONE_PARENT, SHARERS, LARGE_FAMILY, STUDENTS, HMO_TENANT, LODGER = range(9)
UNRELATED = (SHARERS, STUDENTS, HMO_TENANT, LODGER)

_TENURE_P = {  # owner, private, social, vacant
    TERRACED: (.46, .36, .15, .03), SEMI: (.70, .20, .08, .02), DETACHED: (.78, .15, .05, .02),
    CONV_FLAT: (.27, .50, .19, .04), BLOCK_FLAT: (.16, .20, .61, .03), SHOP_FLAT: (.10, .74, .06, .10),
}
_HMO_WEIGHT = {TERRACED: 6.0, SEMI: 4.0, DETACHED: 3.0, CONV_FLAT: 1.0, BLOCK_FLAT: 0.15, SHOP_FLAT: 3.0}
_MEAN_STAY = {OWNER: 4_000.0, PRIVATE: 800.0, SOCIAL: 3_500.0}
_MEAN_VOID = {OWNER: 60.0, PRIVATE: 40.0, SOCIAL: 25.0}
_KIND_P = {  # single couple family lone_parent sharers large_family
    OWNER: (.26, .31, .34, .05, .02, .02), PRIVATE: (.30, .25, .19, .07, .17, .02),
    SOCIAL: (.36, .10, .20, .23, .00, .11),
}


@dataclass(frozen=True)
class Occupancy:
    """Per-dwelling truth and the household spells of one ward (arrays, one row per item)."""

    dwelling: dict[str, np.ndarray]
    spells: dict[str, np.ndarray]


def _pick(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One categorical draw per row of ``probabilities`` (rows sum to 1)."""
    cumulative = np.cumsum(probabilities, axis=1)
    return (rng.random((len(probabilities), 1)) > cumulative).sum(axis=1).clip(0, probabilities.shape[1] - 1)


def _choose(rng: np.random.Generator, weights: np.ndarray, count: int) -> np.ndarray:
    """``count`` distinct indices drawn with probability proportional to ``weights``."""
    eligible = np.flatnonzero(weights > 0)
    count = min(count, len(eligible))
    if count <= 0:
        return np.zeros(0, int)
    keys = rng.random(len(eligible)) ** (1.0 / weights[eligible])  # Efraimidis–Spirakis
    return np.sort(eligible[np.argsort(-keys, kind="stable")[:count]])


def assign_dwellings(rng: np.random.Generator, kind: np.ndarray, bedrooms: np.ndarray, floor_area: np.ndarray,
                     hmo_prevalence: float, licensed_share: float, window_days: int) -> dict[str, np.ndarray]:
    """Tenure, HMO, student-let and large-family flags for each dwelling of a ward."""
    n = len(kind)
    table = np.array([_TENURE_P[int(k)] for k in kind])
    tenure = _pick(rng, table)
    weight = np.array([_HMO_WEIGHT[int(k)] for k in kind]) * np.where(bedrooms >= 3, 1.3, 0.6)
    weight *= np.where(tenure == SOCIAL, 0.03, np.where(tenure == VACANT, 0.2, 1.0))
    hmo_idx = _choose(rng, weight, round(hmo_prevalence * n))
    is_hmo = np.zeros(n, bool)
    is_hmo[hmo_idx] = True
    tenure[is_hmo] = PRIVATE
    rooms = np.zeros(n, int)
    rooms[is_hmo] = rng.choice([3, 4, 5, 6, 7, 8], size=is_hmo.sum(), p=[.28, .3, .2, .12, .06, .04])
    original_bedrooms, original_area = bedrooms.copy(), floor_area.copy()
    bedrooms = np.where(is_hmo, np.maximum(bedrooms, rooms - 1), bedrooms)
    floor_area = np.where(is_hmo, np.maximum(floor_area, 30 + 14 * rooms + rng.normal(0, 10, n)).round(), floor_area)
    licensed = np.zeros(n, bool)
    licensed[_choose(rng, np.where(is_hmo, np.where(rooms >= 5, 3.0, 1.0), 0.0),
                     round(licensed_share * is_hmo.sum()))] = True
    visibility = np.where(is_hmo, rng.beta(1.3, 1.3, n), 0.0).round(3)
    since = np.where(is_hmo & (rng.random(n) < 0.22), rng.integers(60, max(61, window_days - 365), n), -1)

    student_w = np.where((tenure == PRIVATE) & ~is_hmo & (bedrooms >= 3), 1.0, 0.0)
    student_w *= np.where(np.isin(kind, (TERRACED, CONV_FLAT, SHOP_FLAT)), 3.0, 1.0)
    students = np.zeros(n, bool)
    students[_choose(rng, student_w, round(0.028 * n))] = True
    family_w = np.where(np.isin(tenure, (OWNER, SOCIAL)) & (bedrooms >= 3), 1.0, 0.0)
    large = np.zeros(n, bool)
    large[_choose(rng, family_w, round(0.035 * n))] = True
    free = (tenure == PRIVATE) & ~is_hmo & ~students
    temporary = np.zeros(n, bool)
    temporary[_choose(rng, free * np.where(bedrooms >= 2, 1.0, 0.3), round(0.025 * n))] = True
    lodger_w = (tenure == OWNER) & ~large & (bedrooms >= 3)
    lodgers = np.zeros(n, bool)
    lodgers[_choose(rng, lodger_w.astype(float), round(0.03 * n))] = True
    billing = np.where(is_hmo, _pick(rng, np.tile([.75, .19, .06], (n, 1))), -1)  # landlord, joint, per room
    return {"tenure": tenure, "is_hmo": is_hmo, "hmo_licensed": licensed, "hmo_rooms": rooms,
            "hmo_visibility": visibility, "hmo_since": since, "is_student_let": students,
            "is_large_family": large, "is_temporary": temporary, "has_lodgers": lodgers, "ct_billing": billing,
            "bedrooms": bedrooms, "floor_area": floor_area, "original_bedrooms": original_bedrooms,
            "original_floor_area": original_area}


def make_spells(rng: np.random.Generator, d: dict[str, np.ndarray], window_days: int) -> dict[str, np.ndarray]:
    """Household spells for every occupied dwelling, covering the window."""
    parts = [_ordinary_spells(rng, d, window_days), _student_spells(rng, d, window_days),
             _hmo_spells(rng, d, window_days), _lodger_spells(rng, d, window_days)]
    spells = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.lexsort((spells["start"], spells["dwelling"]))
    spells = {k: v[order] for k, v in spells.items()}
    spells["size"] = _household_size(rng, spells["kind"], d["bedrooms"][spells["dwelling"]])
    return spells


def _chain(rng: np.random.Generator, dwellings: np.ndarray, mean_stay: np.ndarray, mean_void: np.ndarray,
           first_end: np.ndarray, window_days: int, slots: int = 10) -> tuple[np.ndarray, ...]:
    """Back-to-back spells per dwelling from ``first_end`` on; returns (dwelling, start, end) flat."""
    n = len(dwellings)
    stays = np.maximum(60, rng.exponential(1.0, (n, slots)) * mean_stay[:, None]).astype(int)
    voids = rng.exponential(1.0, (n, slots)) * mean_void[:, None]
    starts = np.empty((n, slots), int)
    ends = np.empty((n, slots), int)
    ends[:, 0] = first_end
    starts[:, 0] = first_end - np.maximum(60, rng.exponential(1.0, n) * mean_stay).astype(int)
    for k in range(1, slots):
        starts[:, k] = ends[:, k - 1] + voids[:, k].astype(int) + 1
        ends[:, k] = starts[:, k] + stays[:, k]
    keep = starts < window_days
    ends = np.where(ends >= window_days, ONGOING, ends)
    rows = np.repeat(dwellings, slots).reshape(n, slots)
    return rows[keep], starts[keep], ends[keep]


def _ordinary_spells(rng: np.random.Generator, d: dict[str, np.ndarray], window_days: int) -> dict[str, np.ndarray]:
    tenure = d["tenure"]
    plain = np.flatnonzero((tenure != VACANT) & ~d["is_hmo"] & ~d["is_student_let"])
    temporary = d["is_temporary"][plain]
    stay = np.where(temporary, 240.0, np.array([_MEAN_STAY[t] for t in tenure[plain]]))
    void = np.where(temporary, 20.0, np.array([_MEAN_VOID[t] for t in tenure[plain]]))
    first_end = np.maximum(1, rng.exponential(1.0, len(plain)) * stay).astype(int)
    dw, start, end = _chain(rng, plain, stay, void, first_end, window_days, slots=8)
    # A dwelling that became an HMO during the window was an ordinary let until then.
    late = np.flatnonzero(d["hmo_since"] > 0)
    dw = np.concatenate([dw, late])
    start = np.concatenate([start, -rng.integers(100, 2_000, len(late))])
    end = np.concatenate([end, d["hmo_since"][late] - rng.integers(20, 60, len(late))])
    probs = np.array([_KIND_P[int(t) if t != VACANT else PRIVATE] for t in tenure[dw]])
    kind = _pick(rng, probs)
    first = np.r_[True, dw[1:] != dw[:-1]] if len(dw) else np.zeros(0, bool)
    kind = np.where(d["is_large_family"][dw] & (first | (rng.random(len(dw)) < 0.5)), LARGE_FAMILY, kind)
    kind = np.where(d["is_temporary"][dw], rng.choice([LONE_PARENT, FAMILY, SINGLE], len(dw), p=[.45, .35, .2]), kind)
    return {"dwelling": dw, "start": start, "end": end, "kind": kind}


def _student_spells(rng: np.random.Generator, d: dict[str, np.ndarray], window_days: int) -> dict[str, np.ndarray]:
    homes = np.flatnonzero(d["is_student_let"])
    years = window_days // 365 + 1
    starts = np.array([-122 + 365 * y for y in range(years)])  # 1 September each academic year
    dw = np.repeat(homes, years)
    start = np.tile(starts, len(homes)) + rng.integers(-10, 15, len(dw))
    end = np.minimum(start + 300 + rng.integers(0, 30, len(dw)), window_days + 400)
    end = np.where(end >= window_days, ONGOING, end)
    return {"dwelling": dw, "start": start, "end": end, "kind": np.full(len(dw), STUDENTS)}


def _hmo_spells(rng: np.random.Generator, d: dict[str, np.ndarray], window_days: int) -> dict[str, np.ndarray]:
    homes = np.flatnonzero(d["is_hmo"])
    rooms = d["hmo_rooms"][homes]
    room_home = np.repeat(homes, rooms)
    stay = np.full(len(room_home), 330.0) * (1.3 - 0.6 * d["hmo_visibility"][room_home])
    void = np.full(len(room_home), 25.0)
    since = d["hmo_since"][room_home]
    first_end = np.where(since > 0, since + (rng.exponential(1.0, len(room_home)) * stay).astype(int) + 60,
                         np.maximum(1, rng.exponential(1.0, len(room_home)) * stay).astype(int))
    dw, start, end = _chain(rng, room_home, stay, void, first_end, window_days, slots=14)
    since_by = d["hmo_since"][dw]
    start = np.where((since_by > 0) & (start < since_by), since_by + rng.integers(0, 30, len(dw)), start)
    keep = end > start
    return {"dwelling": dw[keep], "start": start[keep], "end": end[keep], "kind": np.full(keep.sum(), HMO_TENANT)}


def _lodger_spells(rng: np.random.Generator, d: dict[str, np.ndarray], window_days: int) -> dict[str, np.ndarray]:
    """One or two lodgers at a time in an owner-occupied home, each staying about a year."""
    homes = np.flatnonzero(d["has_lodgers"])
    rooms = np.repeat(homes, rng.choice([1, 2], len(homes), p=[.6, .4]))
    stay = np.full(len(rooms), 420.0)
    first_end = np.maximum(1, rng.exponential(1.0, len(rooms)) * stay).astype(int)
    dw, start, end = _chain(rng, rooms, stay, np.full(len(rooms), 45.0), first_end, window_days, slots=10)
    return {"dwelling": dw, "start": start, "end": end, "kind": np.full(len(dw), LODGER)}


def _household_size(rng: np.random.Generator, kind: np.ndarray, bedrooms: np.ndarray) -> np.ndarray:
    n = len(kind)
    kids = rng.integers(1, 4, n)
    size = np.select(
        [kind == SINGLE, kind == COUPLE, kind == FAMILY, kind == LONE_PARENT, kind == SHARERS,
         kind == LARGE_FAMILY, kind == STUDENTS, kind == HMO_TENANT, kind == LODGER],
        [1, 2, 2 + kids, 1 + kids, rng.integers(2, 4, n), rng.integers(6, 10, n),
         np.clip(bedrooms, 3, 5) - rng.integers(0, 2, n), 1, 1])
    return size.astype(int)
