"""People: who is in each household spell, with names, sex and date of birth.

Names come from a dozen origins (see :mod:`oda.synth.namebank`). Families share a surname (a
partner keeps their own a third of the time); sharers, students and HMO tenants are unrelated.
People move: a share of households that leave one dwelling turn up in another later in the window
(the same person ids), which is what lets a linker follow them across systems.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

import numpy as np

from oda.synth.namebank import (BRITISH_FIRST_NAME_SHARE, FIRST_NAME_EXPONENT, NAME_RANK_OFFSET, ORIGINS,
                               SURNAME_EXPONENT, rank_weights)
from oda.synth.occupancy import (COUPLE, FAMILY, HMO_TENANT, LARGE_FAMILY, LODGER, LONE_PARENT, ONGOING, SHARERS,
                                 SINGLE, STUDENTS, UNRELATED)

ORIGIN_NAMES = tuple(ORIGINS)
_ORIGIN_P = np.array([v[0] for v in ORIGINS.values()]) / sum(v[0] for v in ORIGINS.values())


def _bank(names: tuple[str, ...], exponent: float) -> tuple[np.ndarray, np.ndarray]:
    """Names and the cumulative share of each rank, for drawing by :func:`_draw`."""
    return np.array(names, dtype=object), np.cumsum(rank_weights(len(names), exponent, NAME_RANK_OFFSET))


_FEMALE = [_bank(v[1], FIRST_NAME_EXPONENT) for v in ORIGINS.values()]
_MALE = [_bank(v[2], FIRST_NAME_EXPONENT) for v in ORIGINS.values()]
_SURNAMES = [_bank(v[3], SURNAME_EXPONENT) for v in ORIGINS.values()]
_BRITISH = ORIGIN_NAMES.index("british")
# kind -> (youngest, oldest) age of the lead adult
_LEAD_AGE = {SINGLE: (20, 88), COUPLE: (23, 82), FAMILY: (27, 52), LONE_PARENT: (20, 50), SHARERS: (21, 36),
             LARGE_FAMILY: (30, 56), STUDENTS: (18, 22), HMO_TENANT: (19, 52), LODGER: (19, 40)}


@dataclass(frozen=True)
class Population:
    """People of one ward and which spell each belongs to (``members``: spell, person, role)."""

    people: dict[str, np.ndarray]
    members: dict[str, np.ndarray]


def _draw(rng: np.random.Generator, bank: tuple[np.ndarray, np.ndarray], count: int) -> np.ndarray:
    """``count`` names drawn with their frequency weights (inverse of the cumulative shares)."""
    names_, cumulative = bank
    picks = np.searchsorted(cumulative, rng.random(count) * cumulative[-1], side="right")
    return names_[np.minimum(picks, len(names_) - 1)]


def names(rng: np.random.Generator, origin: np.ndarray, female: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A first name and a surname for each (origin, sex), common names more often than rare ones."""
    first = np.empty(len(origin), object)
    last = np.empty(len(origin), object)
    for code in range(len(ORIGIN_NAMES)):
        people = np.flatnonzero(origin == code)
        if not people.size:
            continue
        woman = female[people]
        british = rng.random(people.size) < (0.0 if code == _BRITISH else BRITISH_FIRST_NAME_SHARE)
        for sex, banks in ((True, _FEMALE), (False, _MALE)):
            own = people[(woman == sex) & ~british]
            borrowed = people[(woman == sex) & british]
            first[own] = _draw(rng, banks[code], own.size)
            first[borrowed] = _draw(rng, banks[_BRITISH], borrowed.size)
        last[people] = _draw(rng, _SURNAMES[code], people.size)
    return first, last


def draw_people(rng: np.random.Generator, count: int, age_low: int, age_high: int, as_of: dt.date,
                first_id: int) -> dict[str, np.ndarray]:
    """``count`` unrelated adults (landlords, directors, people from outside the borough)."""
    origin = rng.choice(len(ORIGIN_NAMES), size=count, p=_ORIGIN_P)
    female = rng.random(count) < 0.5
    first, last = names(rng, origin, female)
    ages = rng.integers(age_low, age_high + 1, count)
    return _assemble(rng, first, last, origin, female, ages, as_of, first_id)


def _assemble(rng: np.random.Generator, first: np.ndarray, last: np.ndarray, origin: np.ndarray,
              female: np.ndarray, ages: np.ndarray, as_of: dt.date, first_id: int) -> dict[str, np.ndarray]:
    count = len(first)
    middle_first, _ = names(rng, origin, female)
    middle = np.where(rng.random(count) < 0.3, middle_first, "")
    dob = as_of.toordinal() - (ages * 365.25).astype(int) - rng.integers(0, 365, count)
    return {"person_id": first_id + np.arange(count, dtype=np.int64), "first_name": first.astype(str),
            "middle_names": middle.astype(str), "surname": last.astype(str),
            "sex": np.where(female, "F", "M"), "dob_ordinal": dob.astype(np.int64),
            "origin": np.array(ORIGIN_NAMES)[origin]}


def populate(rng: np.random.Generator, spells: dict[str, np.ndarray], window_days: int, as_of: dt.date,
             first_id: int) -> Population:
    """Create the people in every spell; movers reuse the people of an earlier spell."""
    root = _movers(rng, spells, window_days)
    size, kind = spells["size"], spells["kind"]
    is_root = root == np.arange(len(root))
    # Members of root spells get new people.
    r_spell = np.repeat(np.flatnonzero(is_root), size[is_root])
    offsets = np.cumsum(size[is_root]) - size[is_root]
    pos = np.arange(len(r_spell)) - np.repeat(offsets, size[is_root])
    k = kind[r_spell]
    n = len(r_spell)
    household_origin = rng.choice(len(ORIGIN_NAMES), size=len(size), p=_ORIGIN_P)[r_spell]
    unrelated = np.isin(k, UNRELATED)
    origin = np.where(unrelated & (rng.random(n) < 0.6), rng.choice(len(ORIGIN_NAMES), size=n, p=_ORIGIN_P),
                      household_origin)
    lead_female = rng.random(len(size)) < 0.5
    female = np.where(pos == 1, ~lead_female[r_spell] ^ (rng.random(n) < 0.08), rng.random(n) < 0.5)
    female = np.where(pos == 0, lead_female[r_spell], female)
    female = np.where((k == LONE_PARENT) & (pos == 0), rng.random(n) < 0.85, female)
    first, last = names(rng, origin, female)
    # Family members take the lead's surname; partners keep their own a third of the time.
    family_surname = last[np.repeat(offsets, size[is_root])]
    partner_own = (pos == 1) & (rng.random(n) < 0.33)
    relative_own = np.isin(k, (LARGE_FAMILY,)) & np.isin(pos, (2, 3)) & (rng.random(n) < 0.6)
    related = ~unrelated & ~partner_own & ~relative_own
    last = np.where(related, family_surname, last)
    ages = _ages(rng, k, pos)
    people = _assemble(rng, first, last, origin, female, ages, as_of, first_id)
    role = np.select([unrelated, pos == 0, (pos == 1) & np.isin(k, (COUPLE, FAMILY, LARGE_FAMILY)),
                      (k == LARGE_FAMILY) & np.isin(pos, (2, 3))], ["tenant", "lead", "partner", "relative"], "child")
    role = np.where(np.isin(k, (SHARERS, STUDENTS)), "sharer", np.where(k == LODGER, "lodger", role))
    # Every spell's members: copy the root spell's people in order.
    m_spell = np.repeat(np.arange(len(size)), size)
    m_pos = np.arange(len(m_spell)) - np.repeat(np.cumsum(size) - size, size)
    root_start = np.zeros(len(size), np.int64)
    root_start[is_root] = offsets
    person_index = root_start[root[m_spell]] + m_pos
    members = {"spell": m_spell, "person": people["person_id"][person_index], "role": role[person_index]}
    return Population(people=people, members=members)


def _ages(rng: np.random.Generator, kind: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Ages at the window start: lead adults by household kind, partners near them, children under 18."""
    low = np.array([_LEAD_AGE[int(x)][0] for x in range(9)])[kind]
    high = np.array([_LEAD_AGE[int(x)][1] for x in range(9)])[kind]
    lead = rng.integers(0, 1_000_000, len(kind)) % (high - low + 1) + low
    child = np.clip(lead - 22 - rng.integers(0, 20, len(kind)), 0, 17)
    adult_child = np.isin(kind, (LARGE_FAMILY,)) & np.isin(pos, (2, 3))
    age = np.where(pos == 0, lead, np.where(pos == 1, lead + rng.integers(-4, 5, len(kind)), child))
    age = np.where(adult_child, rng.integers(20, 82, len(kind)), age)
    unrelated = np.isin(kind, UNRELATED)
    age = np.where(unrelated, lead, age)
    return np.maximum(0, age).astype(int)


def _movers(rng: np.random.Generator, spells: dict[str, np.ndarray], window_days: int) -> np.ndarray:
    """For each spell, the spell whose people it carries (itself unless its household moved in)."""
    start, end, size, kind = spells["start"], spells["end"], spells["size"], spells["kind"]
    root = np.arange(len(start))
    ended = np.flatnonzero((end < window_days) & (end > -3650) & (kind != STUDENTS))
    pools: dict[int, list[tuple[int, int]]] = {}
    for i in ended[np.argsort(end[ended], kind="stable")]:
        pools.setdefault(int(size[i]), []).append((int(end[i]), int(i)))
    wants = np.flatnonzero((start > 0) & (kind != STUDENTS) & (rng.random(len(start)) < 0.3))
    used: set[int] = set()
    picks = rng.random(len(wants))
    for j, i in enumerate(wants[np.argsort(start[wants], kind="stable")]):
        pool = pools.get(int(size[i]))
        if not pool:
            continue
        limit = bisect.bisect_left(pool, (int(start[i]) - 7, -1))
        if limit == 0:
            continue
        choice = pool[int(picks[j] * limit)][1]
        if choice in used or spells["dwelling"][choice] == spells["dwelling"][i]:
            continue
        used.add(choice)
        root[i] = root[choice]
    return root


def occupants_at(spells: dict[str, np.ndarray], n_dwellings: int, day: int) -> tuple[np.ndarray, np.ndarray]:
    """(people, households) living in each dwelling on ``day``."""
    live = (spells["start"] <= day) & ((spells["end"] > day) | (spells["end"] == ONGOING))
    people = np.bincount(spells["dwelling"][live], weights=spells["size"][live], minlength=n_dwellings)
    households = np.bincount(spells["dwelling"][live], minlength=n_dwellings)
    return people.astype(int), households.astype(int)
