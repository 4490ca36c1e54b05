"""Simulate one ward end to end: its gazetteer, who lives where, its businesses, and truth tables.

Wards are independent (each has its own random streams), so the borough is generated one ward at
a time and memory stays bounded at any size.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

from oda.synth.addresses import AddressBook
from oda.synth.businesses import Commerce, build_commerce
from oda.synth.config import SynthConfig
from oda.synth.gazetteer import COMMERCIAL, KIND_NAMES, build_ward
from oda.synth.geography import BoroughPlan, Ward
from oda.synth.namebank import BUSINESS_KINDS
from oda.synth.occupancy import HOUSEHOLD_KINDS, ONGOING, TENURE_NAMES, assign_dwellings, make_spells
from oda.synth.people import occupants_at, populate
from oda.synth.seeds import stream
from oda.synth.sources.base import Counters, WardContext

_BILLING = np.array(["landlord", "joint", "per_room", ""])


def simulate_ward(config: SynthConfig, plan: BoroughPlan, ward: Ward, counters: Counters) -> WardContext:
    """Build one ward's gazetteer, occupancy, people and businesses."""
    seed = config.seed
    gaz = dict(build_ward(plan, ward, seed).columns)
    dwelling_unit = np.flatnonzero(gaz["is_dwelling"])
    d = assign_dwellings(stream(seed, "occupancy", ward.index), gaz["kind"][dwelling_unit], gaz["bedrooms"][dwelling_unit],
                         gaz["floor_area"][dwelling_unit], config.hmo_prevalence, config.licensed_share, config.window_days)
    spells = make_spells(stream(seed, "spells", ward.index), d, config.window_days)
    as_of = config.window_start
    population = populate(stream(seed, "people", ward.index), spells, config.window_days, as_of,
                          (ward.index + 1) * 10_000_000)
    commerce = build_commerce(stream(seed, "commerce", ward.index), ward.index, np.flatnonzero(gaz["kind"] == COMMERCIAL),
                              d, spells, population.members, config.window_days, as_of)
    # Commercial units take the AddressBase class of their first occupier.
    kinds = commerce.businesses["kind"][np.searchsorted(commerce.businesses["business_id"], commerce.sites["business"])]
    classes = {k[0]: k[3] for k in BUSINESS_KINDS}
    on_unit = ~commerce.sites["on_dwelling"]
    classification = gaz["classification"].astype("<U4")
    for unit, kind in zip(commerce.sites["unit"][on_unit][::-1].tolist(), kinds[on_unit][::-1].tolist()):
        classification[unit] = classes.get(kind, "CR08")
    gaz["classification"] = classification
    people = {k: np.concatenate([population.people[k], commerce.outsiders[k]]) for k in population.people}
    people["resident"] = np.r_[np.ones(len(population.people["person_id"]), bool),
                               np.zeros(len(commerce.outsiders["person_id"]), bool)]
    book = AddressBook(gaz, ward.locality.upper(), config.town)
    return WardContext(config=config, ward=ward, gaz=gaz, dwelling_unit=dwelling_unit, d=d, spells=spells,
                       members=population.members, people=people, commerce=commerce, book=book, counters=counters)


def single_line(ctx: WardContext) -> list[str]:
    """AddressBase-style single-line addresses for every unit of the ward."""
    out = []
    for i in range(len(ctx.gaz["uprn"])):
        sao, name, number, street = ctx.book.clean_parts(i)
        parts = [sao, name, f"{number} {street}".strip(), ctx.book.locality, ctx.config.town, ctx.gaz["postcode"][i]]
        out.append(", ".join(p for p in parts if p).upper())
    return out


def imd_decile(seed: int, lsoa_code: str) -> int:
    """The LSOA's Index of Multiple Deprivation decile (1 = most deprived tenth of England).

    Inner-London LSOAs sit mostly in the lower deciles, so draws are skewed low. It is a function of
    the seed and the LSOA alone, drawn apart from every other random stream, so adding it changed no
    other generated value.
    """
    digest = hashlib.sha256(f"{seed}:imd:{lsoa_code}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    return 1 + min(9, int(10 * u**1.8))


def gazetteer_columns(ctx: WardContext) -> dict[str, list]:
    """The gazetteer rows of one ward, in the published column order."""
    g = ctx.gaz
    lsoa_code = [f"E01{900000 + ctx.ward.index * 20 + int(x):06d}" for x in g["lsoa_index"].tolist()]
    lsoa_name = [f"{ctx.config.borough} {ctx.ward.index * 20 + int(x) + 1:03d}A" for x in g["lsoa_index"].tolist()]
    return {
        "uprn": g["uprn"].tolist(), "parent_uprn": [int(x) if x else None for x in g["parent_uprn"].tolist()],
        "usrn": g["usrn"].tolist(), "sao_text": g["sao_text"].tolist(),
        "pao_start_number": [int(x) if x else None for x in g["pao_start"].tolist()],
        "pao_start_suffix": g["pao_suffix"].tolist(), "pao_end_number": [int(x) if x else None for x in g["pao_end"].tolist()],
        "pao_text": g["pao_text"].tolist(), "street": [s.upper() for s in g["street"].tolist()],
        "locality": [ctx.book.locality] * len(g["uprn"]), "town": [ctx.config.town] * len(g["uprn"]),
        "postcode": g["postcode"].tolist(), "classification": g["classification"].tolist(),
        "lat": g["lat"].tolist(), "lon": g["lon"].tolist(), "ward": [ctx.ward.name] * len(g["uprn"]),
        "ward_code": [ctx.ward.code] * len(g["uprn"]), "lsoa": lsoa_name, "lsoa_code": lsoa_code,
        "imd_decile": [imd_decile(ctx.config.seed, code) for code in lsoa_code],
        "single_line_address": single_line(ctx),
    }


def _date_or_none(ordinals: np.ndarray) -> list[dt.date | None]:
    return [dt.date.fromordinal(int(o)) if o < 800_000 else None for o in ordinals.tolist()]


def property_truth(ctx: WardContext) -> dict[str, list]:
    """One row per dwelling: tenure, HMO status and occupancy over the window."""
    d, sp = ctx.d, ctx.spells
    n = len(d["tenure"])
    units = ctx.dwelling_unit
    occupants, households = occupants_at(sp, n, ctx.window_days - 1)
    overlapping = sp["end"] > 0
    people_window = np.bincount(sp["dwelling"][overlapping], weights=sp["size"][overlapping], minlength=n).astype(int)
    spells_window = np.bincount(sp["dwelling"][overlapping], minlength=n)
    since = np.where(d["hmo_since"] > 0, ctx.origin + d["hmo_since"], 10**6)
    return {
        "uprn": ctx.gaz["uprn"][units].tolist(), "ward": [ctx.ward.name] * n,
        "dwelling_kind": np.array(KIND_NAMES)[ctx.gaz["kind"][units]].tolist(),
        "classification": ctx.gaz["classification"][units].tolist(),
        "tenure": np.array(TENURE_NAMES)[d["tenure"]].tolist(), "is_hmo": d["is_hmo"].tolist(),
        "hmo_licensed": d["hmo_licensed"].tolist(), "hmo_rooms": d["hmo_rooms"].tolist(),
        "hmo_since": _date_or_none(since), "hmo_visibility": d["hmo_visibility"].tolist(),
        "is_student_let": d["is_student_let"].tolist(), "is_large_family": d["is_large_family"].tolist(),
        "is_temporary_accommodation": d["is_temporary"].tolist(), "has_lodgers": d["has_lodgers"].tolist(),
        "ct_billing": _BILLING[d["ct_billing"]].tolist(), "bedrooms": d["bedrooms"].tolist(),
        "floor_area": d["floor_area"].astype(float).tolist(), "occupants": occupants.tolist(),
        "households": households.tolist(), "people_in_window": people_window.tolist(),
        "households_in_window": spells_window.tolist(),
        "landlord_id": [int(x) if x >= 0 else None for x in ctx.commerce.landlord_of.tolist()],
    }


def residence_truth(ctx: WardContext) -> dict[str, list]:
    """One row per person per household spell: who lived where, when, and in what role."""
    sp, m = ctx.spells, ctx.members
    spell = m["spell"]
    base = (ctx.ward.index + 1) * 10_000_000
    return {
        "person_id": m["person"].tolist(), "uprn": ctx.gaz["uprn"][ctx.dwelling_unit[sp["dwelling"][spell]]].tolist(),
        "household_id": (base + spell).tolist(), "household_kind": np.array(HOUSEHOLD_KINDS)[sp["kind"][spell]].tolist(),
        "role": m["role"].tolist(), "start_date": _date_or_none(ctx.origin + sp["start"][spell]),
        "end_date": _date_or_none(np.where(sp["end"][spell] == ONGOING, 10**6, ctx.origin + sp["end"][spell])),
    }


def people_truth(ctx: WardContext) -> dict[str, list]:
    p = ctx.people
    return {"person_id": p["person_id"].tolist(), "first_name": p["first_name"].tolist(),
            "middle_names": p["middle_names"].tolist(), "surname": p["surname"].tolist(), "sex": p["sex"].tolist(),
            "date_of_birth": _date_or_none(p["dob_ordinal"]), "origin": p["origin"].tolist(),
            "resident": p["resident"].tolist()}


def business_truth(ctx: WardContext) -> dict[str, list]:
    c: Commerce = ctx.commerce
    b = c.businesses
    site_uprn = {int(x): int(ctx.gaz["uprn"][u]) for x, u in zip(c.sites["business"].tolist(), c.sites["unit"].tolist())}
    return {"business_id": b["business_id"].tolist(), "trading_name": b["trading_name"].tolist(),
            "legal_name": b["legal_name"].tolist(), "kind": b["kind"].tolist(), "is_company": b["is_company"].tolist(),
            "company_number": [x or None for x in b["company_number"].tolist()],
            "incorporated": _date_or_none(b["incorporated_ordinal"]), "sic": b["sic"].tolist(),
            "site_uprn": [site_uprn.get(int(x)) for x in b["business_id"].tolist()]}


def director_truth(ctx: WardContext) -> dict[str, list]:
    dirs = ctx.commerce.directors
    return {"business_id": dirs["business"].tolist(), "person_id": dirs["person"].tolist(),
            "appointed": _date_or_none(dirs["appointed"]), "is_company": dirs["is_company"].tolist()}


def landlord_truth(ctx: WardContext) -> dict[str, list]:
    ll = ctx.commerce.landlords
    return {"landlord_id": ll["landlord_id"].tolist(), "person_id": [int(x) if x > 0 else None for x in ll["person"].tolist()],
            "business_id": [int(x) if x > 0 else None for x in ll["business"].tolist()],
            "hmo_portfolio": ll["hmo_portfolio"].tolist()}

