"""Businesses and landlords: who occupies the shops and offices, and who owns the private lets.

Shops and offices are occupied by businesses (a limited company or a sole trader), some changing
hands during the window. Companies have directors, some of whom live in the borough. Every private
let has a landlord; HMO landlords tend to hold several HMOs (licensed and unlicensed alike), and a
third of them let through a company, which is what lets a linker connect a licensed HMO's holder
to the unlicensed ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from oda.synth.namebank import (BUSINESS_KINDS, BUSINESS_WORDS, LETTINGS_WORDS, ORIGINS, STREET_STEMS,
                               TWO_WORD_BUSINESS_SHARE)
from oda.synth.occupancy import ONGOING, PRIVATE, UNRELATED, VACANT
from oda.synth.people import draw_people

KIND_NAMES = tuple(k[0] for k in BUSINESS_KINDS) + ("lettings", "home_consultancy", "home_caterer")
LETTINGS, HOME_CONSULTANCY, HOME_CATERER = len(BUSINESS_KINDS), len(BUSINESS_KINDS) + 1, len(BUSINESS_KINDS) + 2
_KIND_P = np.array([k[5] for k in BUSINESS_KINDS]) / sum(k[5] for k in BUSINESS_KINDS)
SIC = {"cafe": "56102", "restaurant": "56101", "takeaway": "56103", "convenience": "47110", "barber": "96020",
       "salon": "96020", "estate_agent": "68310", "pharmacy": "47730", "launderette": "96010", "pub": "56302",
       "grocer": "47110", "phone_repair": "95120", "office": "70229", "workshop": "45200", "bakery": "10710",
       "lettings": "68209", "home_consultancy": "62020", "home_caterer": "56210"}


@dataclass(frozen=True)
class Commerce:
    """Businesses, where they trade (``sites``), their directors, landlords of lets, extra people."""

    businesses: dict[str, np.ndarray]
    sites: dict[str, np.ndarray]
    directors: dict[str, np.ndarray]
    landlord_of: np.ndarray
    landlords: dict[str, np.ndarray]
    outsiders: dict[str, np.ndarray]


#: Words a trading name starts with: descriptive words, local street names and proprietors' surnames.
_NAME_WORDS = np.array(tuple(dict.fromkeys(BUSINESS_WORDS + STREET_STEMS + ORIGINS["british"][3][:300])))


def _trading_words(rng: np.random.Generator, count: int) -> np.ndarray:
    """The distinctive word(s) of each trading name: one word, or two for a share of them."""
    first = _NAME_WORDS[rng.integers(len(_NAME_WORDS), size=count)]
    second = np.array(BUSINESS_WORDS)[rng.integers(len(BUSINESS_WORDS), size=count)]
    two = (rng.random(count) < TWO_WORD_BUSINESS_SHARE) & (first != second)
    return np.where(two, np.char.add(np.char.add(first.astype(str), " "), second.astype(str)), first)


def _zipf_assign(rng: np.random.Generator, count: int, pool: int, power: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, pool + 1) ** power
    return rng.choice(pool, size=count, p=weights / weights.sum())


def build_commerce(rng: np.random.Generator, ward_index: int, unit_index: np.ndarray, dwelling: dict[str, np.ndarray],
                   spells: dict[str, np.ndarray], members: dict[str, np.ndarray], window_days: int,
                   as_of: dt.date) -> Commerce:
    """Businesses for the ward's commercial units and landlords for its private lets."""
    base_id = (ward_index + 1) * 100_000
    # Residents who could be directors or landlords: adults leading ordinary households.
    live = np.isin(members["role"], ("lead", "partner"))
    live &= ~np.isin(spells["kind"][members["spell"]], UNRELATED)
    residents = np.unique(members["person"][live])
    outsiders = draw_people(rng, max(50, len(unit_index) * 2 + len(dwelling["tenure"]) // 8), 28, 75, as_of,
                            (ward_index + 1) * 10_000_000 + 6_000_000)
    outsider_ids = outsiders["person_id"]

    def some_people(count: int, resident_share: float) -> np.ndarray:
        pick_resident = rng.random(count) < resident_share
        res = residents[rng.integers(len(residents), size=count)] if len(residents) else outsider_ids[:count]
        return np.where(pick_resident, res, outsider_ids[rng.integers(len(outsider_ids), size=count)])

    # Commercial units: one or two occupiers over the window.
    occupied = unit_index[rng.random(len(unit_index)) < 0.88]
    changes = rng.random(len(occupied)) < 0.15
    site_unit = np.concatenate([occupied, occupied[changes]])
    switch = rng.integers(200, window_days - 200, len(occupied))
    site_start = np.concatenate([np.where(changes, -rng.integers(100, 4000, len(occupied)),
                                          -rng.integers(100, 4000, len(occupied))), switch[changes] + 30])
    site_end = np.concatenate([np.where(changes, switch, ONGOING), np.full(changes.sum(), ONGOING)])
    kind = rng.choice(len(BUSINESS_KINDS), size=len(site_unit), p=_KIND_P)
    # Home-based businesses: consultancies registered at a home, and home caterers.
    homes = np.flatnonzero((dwelling["tenure"] != VACANT) & (rng.random(len(dwelling["tenure"])) < 0.025))
    home_kind = np.where(rng.random(len(homes)) < 0.15, HOME_CATERER, HOME_CONSULTANCY)
    # Landlords of private lets and empty homes.
    private = np.flatnonzero((dwelling["tenure"] == PRIVATE) | (dwelling["tenure"] == VACANT))
    hmo = dwelling["is_hmo"][private]
    n_hmo_ll = max(1, int(np.ceil(hmo.sum() / 2.2)))
    n_other_ll = max(1, int(np.ceil((~hmo).sum() / 1.5)))
    landlord_local = np.where(hmo, _zipf_assign(rng, len(private), n_hmo_ll, 0.8),
                              n_hmo_ll + _zipf_assign(rng, len(private), n_other_ll, 0.6))
    n_ll = n_hmo_ll + n_other_ll
    ll_company = rng.random(n_ll) < np.where(np.arange(n_ll) < n_hmo_ll, 0.3, 0.2)
    landlord_of = np.full(len(dwelling["tenure"]), -1, np.int64)
    landlord_ids = (ward_index + 1) * 1_000_000 + np.arange(n_ll)
    landlord_of[private] = landlord_ids[landlord_local]

    n_site = len(site_unit)
    n_home = len(homes)
    n_ll_co = int(ll_company.sum())
    count = n_site + n_home + n_ll_co
    b_kind = np.concatenate([kind, home_kind, np.full(n_ll_co, LETTINGS)]).astype(int)
    is_company = np.concatenate([rng.random(n_site) < 0.55, home_kind == HOME_CONSULTANCY, np.ones(n_ll_co, bool)])
    word = _trading_words(rng, count)
    stem = np.array(STREET_STEMS)[rng.integers(len(STREET_STEMS), size=count)]
    trading = np.array([_trading_name(int(k), str(w), str(s)) for k, w, s in zip(b_kind, word, stem)], dtype=object)
    legal = np.array([_legal_name(t, int(k), bool(c), str(s), str(r))
                      for t, k, c, s, r in zip(trading, b_kind, is_company, stem,
                                               np.array(LETTINGS_WORDS)[rng.integers(len(LETTINGS_WORDS), size=count)])],
                     dtype=object)
    business_id = base_id + np.arange(count, dtype=np.int64)
    company_number = np.where(is_company, np.char.mod("%08d", 12_000_000 + ward_index * 20_000 + np.arange(count)), "")
    incorporated = as_of.toordinal() - rng.integers(200, 7000, count)
    sites = {"business": np.concatenate([business_id[:n_site], business_id[n_site:n_site + n_home]]),
             "unit": np.concatenate([site_unit, homes]), "on_dwelling": np.r_[np.zeros(n_site, bool), np.ones(n_home, bool)],
             "start": np.concatenate([site_start, -rng.integers(100, 3000, n_home)]),
             "end": np.concatenate([site_end, np.full(n_home, ONGOING)])}
    # Directors (companies) or proprietors (sole traders).
    n_dir = np.where(is_company, rng.choice([1, 2, 3], size=count, p=[.5, .38, .12]), 1)
    d_business = np.repeat(np.arange(count), n_dir)
    directors = {"business": business_id[d_business], "person": some_people(len(d_business), 0.4),
                 "appointed": incorporated[d_business] + rng.integers(0, 30, len(d_business)),
                 "is_company": is_company[d_business]}
    # Home businesses are run by someone living there.
    home_first = np.flatnonzero(b_kind[d_business] >= HOME_CONSULTANCY)
    home_lead = _lead_at(spells, members, homes, window_days // 2)
    directors["person"][home_first] = np.where(home_lead[d_business[home_first] - n_site] > 0,
                                               home_lead[d_business[home_first] - n_site],
                                               directors["person"][home_first])
    ll_person = np.where(ll_company, -1, some_people(n_ll, 0.25))
    ll_business = np.full(n_ll, -1, np.int64)
    ll_business[ll_company] = business_id[n_site + n_home:]
    businesses = {"business_id": business_id, "trading_name": trading.astype(str), "legal_name": legal.astype(str),
                  "kind": np.array(KIND_NAMES)[b_kind], "is_company": is_company,
                  "company_number": company_number.astype(str), "incorporated_ordinal": incorporated,
                  "office_at_site": rng.random(count) < 0.5, "sic": np.array([SIC[KIND_NAMES[k]] for k in b_kind])}
    landlords = {"landlord_id": landlord_ids, "person": ll_person, "business": ll_business,
                 "hmo_portfolio": np.arange(n_ll) < n_hmo_ll}
    return Commerce(businesses=businesses, sites=sites, directors=directors, landlord_of=landlord_of,
                    landlords=landlords, outsiders=outsiders)


def _lead_at(spells: dict[str, np.ndarray], members: dict[str, np.ndarray], homes: np.ndarray, day: int) -> np.ndarray:
    """The lead person living in each of ``homes`` on ``day`` (0 where nobody is)."""
    live = (spells["start"] <= day) & (spells["end"] > day)
    first_member = np.cumsum(spells["size"]) - spells["size"]
    lead = np.zeros(int(homes.max()) + 1 if len(homes) else 1, np.int64)
    idx = np.flatnonzero(live)
    valid = spells["dwelling"][idx] < len(lead)
    lead[spells["dwelling"][idx[valid]]] = members["person"][first_member[idx[valid]]]
    return lead[homes] if len(homes) else np.zeros(0, np.int64)


def _trading_name(kind: int, word: str, stem: str) -> str:
    if kind == LETTINGS:
        return f"{word} Lettings"
    if kind == HOME_CONSULTANCY:
        return f"{word} {stem} Solutions"
    if kind == HOME_CATERER:
        return f"{word}'s Home Kitchen"
    return BUSINESS_KINDS[kind][1].format(w=word)


def _legal_name(trading: str, kind: int, company: bool, stem: str, lettings_word: str) -> str:
    if not company:
        return trading
    if kind == LETTINGS:
        return f"{trading.split(' Lettings')[0].upper()} {lettings_word.upper()} LIMITED"
    return f"{trading.upper().replace('&', 'AND')} {'LTD' if len(trading) % 2 else 'LIMITED'}"
