"""The council's own resident systems: council tax, the electoral register, housing benefit.

Council tax bills a household per spell, a student let with class N exemption, and an HMO one of
three ways: the landlord (one quiet account), the tenants jointly (a new account at each
re-letting) or room by room (an account per tenant, "Room 3, 12 Acacia Road"). The electoral
register lists adults resident on each 1 December; HMO tenants register far less often than
families, and people who have left linger on the next register.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from oda.synth.addresses import AddressStyle
from oda.synth.gazetteer import BLOCK_FLAT, CONV_FLAT, DETACHED, SEMI, SHOP_FLAT, TERRACED
from oda.synth.noise import format_dates
from oda.synth.occupancy import (HMO_TENANT, LODGER, LONE_PARENT, ONGOING, OWNER, PRIVATE, SHARERS, SINGLE, SOCIAL,
                                 STUDENTS, UNRELATED, VACANT)
from oda.synth.sources.base import Batch, WardContext, dates, join_errors, with_duplicates

CT_STYLE = AddressStyle(lines=4, case="upper", town=True)
ER_STYLE = AddressStyle(lines=5, case="upper", town=True)
HB_STYLE = AddressStyle(lines=0, case="title", town=False)
_BAND_BASE = {TERRACED: 3, SEMI: 4, DETACHED: 5, CONV_FLAT: 1, BLOCK_FLAT: 1, SHOP_FLAT: 1}


def _bands(ctx: WardContext) -> np.ndarray:
    rng = ctx.rng("bands")
    base = np.array([_BAND_BASE[int(k)] for k in ctx.gaz["kind"][ctx.dwelling_unit]])
    band = base + (ctx.d["bedrooms"] - 2) // 2 + rng.integers(-1, 2, len(base))
    return np.array(list("ABCDEFGH"))[np.clip(band, 0, 7)]


def _liable_name(title: list[str], first: list[str], last: list[str]) -> list[str]:
    return [f"{t} {f} {s}".strip() for t, f, s in zip(title, first, last)]


def build_council_tax(ctx: WardContext) -> Batch:
    """One account per liable party per period, as a council tax system would export them."""
    rng = ctx.rng("council_tax")
    sp, d = ctx.spells, ctx.d
    dw, kind = sp["dwelling"], sp["kind"]
    billing = d["ct_billing"][dw]
    live = sp["end"] > 0
    per_room = live & (kind == HMO_TENANT) & (billing == 2)
    from_spells = np.flatnonzero(live & (((kind != HMO_TENANT) & (kind != LODGER)) | per_room))
    room = np.zeros(len(dw), int)
    room[kind == HMO_TENANT] = np.arange((kind == HMO_TENANT).sum()) % np.maximum(1, d["hmo_rooms"][dw[kind == HMO_TENANT]]) + 1
    joint = np.isin(kind[from_spells], (1, 2, 5)) & (rng.random(len(from_spells)) < 0.55)
    rows = {"dwelling": dw[from_spells], "start": sp["start"][from_spells], "end": sp["end"][from_spells],
            "p1": ctx.lead_of(from_spells), "p2": np.where(joint, ctx.lead_of(from_spells, 1), 0),
            "business": np.zeros(len(from_spells), np.int64), "room": room[from_spells],
            "exempt": np.where(kind[from_spells] == STUDENTS, "N", ""),
            "spd": np.isin(kind[from_spells], (SINGLE, LONE_PARENT, HMO_TENANT))}
    extra = [_landlord_accounts(ctx, rng), _joint_hmo_accounts(ctx, rng), _void_accounts(ctx, rng)]
    for part in extra:
        rows = {k: np.concatenate([rows[k], part[k]]) for k in rows}
    rows, dup = with_duplicates(rows, ctx.profile("council_tax").duplicate, rng)
    n = len(rows["dwelling"])
    units = ctx.dwelling_unit[rows["dwelling"]]
    rendered = ctx.addresses("council_tax", units, CT_STYLE, rng)
    lines = [list(x) for x in rendered.lines]
    for i in np.flatnonzero(rows["room"] > 0).tolist():
        lines[i][0] = f"ROOM {rows['room'][i]}, {lines[i][0]}"
    person = rows["p1"] > 0
    t1, f1, _, s1, e1 = ctx.names("council_tax", np.where(person, rows["p1"], ctx.people["person_id"][0]), rng)
    t2, f2, _, s2, e2 = ctx.names("council_tax", np.where(rows["p2"] > 0, rows["p2"], ctx.people["person_id"][0]), rng)
    company = ctx.commerce.businesses
    bi = np.searchsorted(company["business_id"], rows["business"])
    legal = company["legal_name"][np.clip(bi, 0, len(company["business_id"]) - 1)]
    liable = np.where(person, np.array(_liable_name(t1, f1, s1), dtype=object), legal).tolist()
    second = np.where(rows["p2"] > 0, np.array(_liable_name(t2, f2, s2), dtype=object), "").tolist()
    e1 = [e if p else [] for e, p in zip(e1, person.tolist())]
    e2 = [e if p else [] for e, p in zip(e2, (rows["p2"] > 0).tolist())]
    ids = ctx.counters.take("council_tax", n, 300_000_001)
    start_txt, _ = format_dates(ctx.ordinal(rows["start"]), "%d/%m/%Y", 0.0, rng)
    end_txt, _ = format_dates(ctx.ordinal(np.minimum(rows["end"], 10**5)), "%d/%m/%Y", 0.0, rng,
                              missing=rows["end"] >= ctx.window_days)
    uprns = ctx.gaz["uprn"][units]
    band = _bands(ctx)[rows["dwelling"]]
    columns = {
        "Account Ref": [f"{i:09d}" for i in ids.tolist()],
        "Property Ref": [f"{ctx.ward.index + 1:03d}{x:05d}" for x in rows["dwelling"].tolist()],
        "UPRN": ctx.uprn_column("council_tax", uprns, rng),
        "Liable Name": liable, "Liable Type": np.where(person, "Person", "Company").tolist(),
        "Joint Liable Name": second,
        "Addr1": [x[0] for x in lines], "Addr2": [x[1] for x in lines], "Addr3": [x[2] for x in lines],
        "Addr4": [x[3] for x in lines], "Post Code": rendered.postcode, "Band": band.tolist(),
        "SPD": np.where(rows["spd"], "Y", "N").tolist(), "Exemption": rows["exempt"].tolist(),
        "Liability Start": start_txt, "Liability End": end_txt,
    }
    p_rows = np.r_[np.flatnonzero(person), np.flatnonzero(rows["p2"] > 0)]
    p_ids = np.r_[rows["p1"][person], rows["p2"][rows["p2"] > 0]]
    b_rows = np.flatnonzero(~person)
    return Batch(columns=columns, record_id=columns["Account Ref"], uprn=uprns,
                 errors=join_errors(rendered.errors, e1, e2, duplicate=dup),
                 person_rows=p_rows, person_ids=p_ids, business_rows=b_rows, business_ids=rows["business"][b_rows])


def _landlord(ctx: WardContext, dwellings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(person id, business id) of each dwelling's landlord; one of them is 0."""
    ll = ctx.commerce.landlords
    idx = np.searchsorted(ll["landlord_id"], ctx.commerce.landlord_of[dwellings])
    idx = np.clip(idx, 0, len(ll["landlord_id"]) - 1)
    return np.maximum(ll["person"][idx], 0), np.maximum(ll["business"][idx], 0)


def _landlord_accounts(ctx: WardContext, rng: np.random.Generator) -> dict[str, np.ndarray]:
    d = ctx.d
    homes = np.flatnonzero((d["is_hmo"] & (d["ct_billing"] == 0)) | (d["tenure"] == VACANT))
    person, business = _landlord(ctx, homes)
    since = np.where(d["hmo_since"][homes] > 0, d["hmo_since"][homes], -rng.integers(30, 3000, len(homes)))
    n = len(homes)
    return {"dwelling": homes, "start": since, "end": np.full(n, ONGOING), "p1": person, "p2": np.zeros(n, np.int64),
            "business": business, "room": np.zeros(n, int), "exempt": np.where(d["tenure"][homes] == VACANT, "LTE", ""),
            "spd": np.zeros(n, bool)}


def _void_accounts(ctx: WardContext, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Landlords billed for the empty weeks between two private lets."""
    sp, d = ctx.spells, ctx.d
    dw = sp["dwelling"]
    same = dw[1:] == dw[:-1]
    ordinary = ~np.isin(sp["kind"], UNRELATED)
    gap = sp["start"][1:] - sp["end"][:-1]
    pick = np.flatnonzero(same & ordinary[:-1] & ordinary[1:] & (d["tenure"][dw[:-1]] == PRIVATE) & (gap > 20)
                          & (sp["end"][:-1] > 0) & (sp["end"][:-1] < ctx.window_days) & (rng.random(len(gap)) < 0.6))
    homes = dw[pick]
    person, business = _landlord(ctx, homes)
    n = len(homes)
    return {"dwelling": homes, "start": sp["end"][pick], "end": sp["start"][pick + 1] - 1, "p1": person,
            "p2": np.zeros(n, np.int64), "business": business, "room": np.zeros(n, int),
            "exempt": np.full(n, "", dtype="<U3"), "spd": np.zeros(n, bool)}


def _joint_hmo_accounts(ctx: WardContext, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Jointly billed HMOs: a new account each time the tenant group is re-let (every ~8 months)."""
    sp, d = ctx.spells, ctx.d
    out: dict[str, list] = {k: [] for k in ("dwelling", "start", "end", "p1", "p2", "business", "room", "exempt", "spd")}
    tenants = sp["kind"] == HMO_TENANT
    for home in np.flatnonzero(d["is_hmo"] & (d["ct_billing"] == 1)).tolist():
        mine = np.flatnonzero(tenants & (sp["dwelling"] == home))
        day = max(0, int(d["hmo_since"][home])) - int(rng.integers(0, 240))
        while day < ctx.window_days:
            nxt = day + int(rng.integers(180, 420))
            live = mine[(sp["start"][mine] <= max(day, 0)) & (sp["end"][mine] > max(day, 0))]
            if len(live):
                out["dwelling"].append(home)
                out["start"].append(day)
                out["end"].append(nxt - 1 if nxt < ctx.window_days else ONGOING)
                out["p1"].append(int(ctx.lead_of(live[:1])[0]))
                out["p2"].append(int(ctx.lead_of(live[1:2])[0]) if len(live) > 1 else 0)
                out["business"].append(0)
                out["room"].append(0)
                out["exempt"].append("")
                out["spd"].append(False)
            day = nxt
    ints = {k: np.asarray(out[k], np.int64) for k in ("dwelling", "start", "end", "p1", "p2", "business", "room")}
    return {**ints, "exempt": np.asarray(out["exempt"], dtype="<U3"), "spd": np.asarray(out["spd"], bool)}


def build_electoral_register(ctx: WardContext) -> Batch:
    """Adults registered at each address on each year's register (published 1 December)."""
    rng = ctx.rng("electoral_register")
    sp, d = ctx.spells, ctx.d
    dw = sp["dwelling"]
    tenure = d["tenure"][dw]
    base_p = np.select([sp["kind"] == HMO_TENANT, sp["kind"] == STUDENTS, sp["kind"] == LODGER, sp["kind"] == SHARERS,
                        tenure == OWNER, tenure == SOCIAL, tenure == PRIVATE],
                       [0.08 + 0.4 * d["hmo_visibility"][dw], 0.45, 0.55, 0.65, 0.93, 0.86, 0.74], 0.7)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("spell", "person", "year", "stale")}
    for year in range(ctx.config.start_year, ctx.config.start_year + ctx.config.years):
        day = dt.date(year - 1, 12, 1).toordinal() - ctx.origin
        live = (sp["start"] <= day) & (sp["end"] > day)
        stale = (sp["end"] <= day) & (sp["end"] > day - 540) & (rng.random(len(dw)) < np.where(tenure == PRIVATE, 0.25, 0.08))
        for mask, is_stale in ((live, False), (stale, True)):
            spells = np.flatnonzero(mask)
            size = sp["size"][spells]
            m_spell = np.repeat(spells, size)
            m_idx = np.repeat(ctx.member_start[spells], size) + (np.arange(len(m_spell)) - np.repeat(np.cumsum(size) - size, size))
            person = ctx.members["person"][m_idx]
            adult = ctx.people["dob_ordinal"][ctx.person_rows(person)] <= ctx.origin + day - 18 * 365
            keep = adult & (rng.random(len(person)) < base_p[m_spell])
            parts["spell"].append(m_spell[keep])
            parts["person"].append(person[keep])
            parts["year"].append(np.full(keep.sum(), year))
            parts["stale"].append(np.full(keep.sum(), is_stale))
    rows = {k: np.concatenate(v) for k, v in parts.items()}
    order = np.lexsort((dw[rows["spell"]], rows["year"]))
    rows = {k: v[order] for k, v in rows.items()}
    rows, dup = with_duplicates(rows, ctx.profile("electoral_register").duplicate, rng)
    n = len(rows["spell"])
    units = ctx.dwelling_unit[dw[rows["spell"]]]
    rendered = ctx.addresses("electoral_register", units, ER_STYLE, rng)
    title, first, middle, last, name_errors = ctx.names("electoral_register", rows["person"], rng)
    numbers = ctx.counters.take(f"electoral_register_{ctx.ward.index}", n)
    district = f"{ctx.ward.code[-3:]}"
    lsoa = ctx.gaz["lsoa_index"][units]
    pd_codes = [f"{district}{'ABCDEFGHJKLMNPQRSTUVWXYZ'[x % 24]}" for x in lsoa.tolist()]
    columns = {
        "Elector Ref": [f"{y}/{p}/{x:05d}" for y, p, x in zip(rows["year"].tolist(), pd_codes, numbers.tolist())],
        "Register Year": rows["year"].tolist(), "Polling District": pd_codes, "Elector No": numbers.tolist(),
        "Title": title, "Forename": first, "Middle Names": middle, "Surname": last,
        **{f"Address {k + 1}": [x[k] for x in rendered.lines] for k in range(5)},
        "Postcode": rendered.postcode, "UPRN": ctx.uprn_column("electoral_register", ctx.gaz["uprn"][units], rng),
        "Opt Out": np.where(rng.random(n) < 0.55, "Y", "").tolist(),
    }
    return Batch(columns=columns, record_id=columns["Elector Ref"], uprn=ctx.gaz["uprn"][units],
                 errors=join_errors(rendered.errors, name_errors, duplicate=dup, extra={"stale_entry": rows["stale"]}),
                 person_rows=np.arange(n), person_ids=rows["person"])


def build_housing_benefit(ctx: WardContext) -> Batch:
    """Housing benefit / council tax support claims by the lead of a household."""
    rng = ctx.rng("housing_benefit")
    sp, d = ctx.spells, ctx.d
    dw, kind = sp["dwelling"], sp["kind"]
    tenure = d["tenure"][dw]
    temporary = d["is_temporary"][dw]
    p = np.select([kind == HMO_TENANT, kind == STUDENTS, kind == LODGER, temporary, kind == LONE_PARENT, tenure == SOCIAL,
                   tenure == PRIVATE], [0.03 + 0.09 * d["hmo_visibility"][dw], 0.0, 0.35, 0.85, 0.6, 0.48, 0.2], 0.05)
    chosen = np.flatnonzero((sp["end"] > 0) & (rng.random(len(dw)) < p))
    start = sp["start"][chosen] + rng.integers(0, 120, len(chosen))
    end = np.where(rng.random(len(chosen)) < 0.8, sp["end"][chosen], sp["end"][chosen] - 90)
    rows = {"spell": chosen, "start": start, "end": np.maximum(end, start + 28)}
    rows, dup = with_duplicates(rows, ctx.profile("housing_benefit").duplicate, rng)
    spell = rows["spell"]
    n = len(spell)
    units = ctx.dwelling_unit[dw[spell]]
    rendered = ctx.addresses("housing_benefit", units, HB_STYLE, rng)
    person = ctx.lead_of(spell)
    _, first, _, last, name_errors = ctx.names("housing_benefit", person, rng)
    prow = ctx.person_rows(person)
    dob = ctx.people["dob_ordinal"][prow]
    age = (ctx.origin + np.maximum(rows["start"], 0) - dob) / 365.25
    ten = np.where(kind[spell] == LODGER, PRIVATE, tenure[spell])
    size = sp["size"][spell]
    beds = np.clip((size + 1) // 2, 1, 4)  # the size criteria: roughly one bedroom per couple or pair of children
    lha = np.where((size == 1) & (age < 35), "SAR", np.char.add(beds.astype(str), " Bed"))
    tenancy = np.select([ten == SOCIAL, kind[spell] == LODGER, ten == OWNER,
                         temporary[spell] & (rng.random(n) < 0.7)],
                        [np.where(rng.random(n) < 0.6, "Council", "Housing Association"), "Private", "Owner Occupier",
                         "Temporary Accommodation"], "Private")
    rent = np.select([kind[spell] == HMO_TENANT, ten == SOCIAL], [rng.normal(175, 20, n), rng.normal(140 + 18 * beds, 10)],
                     rng.normal(230 + 60 * beds, 30)).round(2)
    ids = ctx.counters.take("housing_benefit", n, 5_000_001)
    ongoing = rows["end"] >= ctx.window_days
    columns = {
        "claim_ref": [f"HB{i:08d}" for i in ids.tolist()], "claimant_forename": first, "claimant_surname": last,
        "claimant_dob": dates(dob), "ni_number": [f"QQ{(x * 7919) % 1_000_000:06d}{'ABCD'[x % 4]}" for x in person.tolist()],
        "address": [x[0] for x in rendered.lines], "postcode": rendered.postcode,
        "uprn": ctx.uprn_column("housing_benefit", ctx.gaz["uprn"][units], rng),
        "tenancy_type": tenancy.tolist(), "lha_category": np.where(ten == PRIVATE, lha, "").tolist(),
        "weekly_rent": np.where(ten == OWNER, 0.0, rent).tolist(), "household_size": sp["size"][spell].tolist(),
        "claim_start": dates(ctx.ordinal(rows["start"])),
        "claim_end": dates(np.where(ongoing, 10**6, ctx.ordinal(np.minimum(rows["end"], 10**5)))),
    }
    return Batch(columns=columns, record_id=columns["claim_ref"], uprn=ctx.gaz["uprn"][units],
                 errors=join_errors(rendered.errors, name_errors, duplicate=dup),
                 person_rows=np.arange(n), person_ids=person)
