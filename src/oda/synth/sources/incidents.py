"""Reports about places: environmental-health requests, fire-service activity, police ASB.

Each dwelling has a rate of each kind of event that rises with its truth: an HMO's rate grows
with its visibility, but so do a student let's (noise, refuse), a large family's (overcrowding),
social housing's (disrepair) and a flat over a shop's (commercial refuse). A share of an HMO's
complaints land on the house next door, and some requests are about no address at all.
"""

from __future__ import annotations

import numpy as np

from oda.synth.addresses import AddressStyle
from oda.synth.gazetteer import SHOP_FLAT
from oda.synth.noise import format_dates
from oda.synth.occupancy import OWNER, PRIVATE, SOCIAL, VACANT
from oda.synth.sources.base import Batch, WardContext, join_errors, with_duplicates

COMPLAINT_TYPES = ("Noise - Domestic", "Refuse - Accumulation", "Pests - Rats/Mice", "Housing - Disrepair",
                   "Housing - Overcrowding")
_BASE = {OWNER: (.04, .02, .02, .01, .0), PRIVATE: (.06, .04, .03, .06, .006), SOCIAL: (.10, .05, .06, .13, .02),
         VACANT: (.0, .08, .06, .02, .0)}
_HMO = np.array([.35, .45, .25, .35, .30])
_STUDENT = np.array([.45, .35, .05, .05, .01])
_LARGE = np.array([.18, .08, .05, .12, .40])
_SHOP = np.array([.05, .25, .15, .03, .0])
_TEMPORARY = np.array([.06, .05, .1, .28, .06])
EH_STYLE = AddressStyle(lines=0, case="title", postcode_in_line=True, town=False)
FIRE_STYLE = AddressStyle(lines=0, case="upper", town=False)
ASB_STYLE = AddressStyle(lines=0, case="upper", town=False)


def _per_dwelling_events(rng: np.random.Generator, rates: np.ndarray, window_days: int) -> tuple[np.ndarray, ...]:
    """Poisson counts per (dwelling, category) → flat arrays (dwelling, category, day)."""
    counts = rng.poisson(rates)
    dwelling, category = np.nonzero(counts)
    reps = counts[dwelling, category]
    dwelling, category = np.repeat(dwelling, reps), np.repeat(category, reps)
    return dwelling, category, rng.integers(0, window_days, len(dwelling))


def complaint_events(ctx: WardContext) -> dict[str, np.ndarray]:
    """The ward's environmental-health requests (shared with the inspections that follow them)."""
    if "complaints" in ctx.shared:
        return ctx.shared["complaints"]  # type: ignore[return-value]
    rng = ctx.rng("complaint_events")
    d = ctx.d
    u = d["hmo_visibility"]
    rates = np.array([_BASE[int(t)] for t in d["tenure"]])
    rates += np.outer(d["is_hmo"], 0.08 * _HMO) + np.outer(1.9 * u ** 1.6, _HMO)
    rates += np.outer(d["is_temporary"], _TEMPORARY)
    rates += np.outer(d["is_student_let"], _STUDENT) + np.outer(d["is_large_family"], _LARGE)
    rates += np.outer(ctx.gaz["kind"][ctx.dwelling_unit] == SHOP_FLAT, _SHOP)
    dwelling, category, day = _per_dwelling_events(rng, rates, ctx.window_days)
    spill = rng.random(len(dwelling)) < np.where(d["is_hmo"][dwelling], 0.22, 0.06)
    step = np.where(rng.random(len(dwelling)) < 0.5, -1, 1)
    dwelling = np.where(spill, np.clip(dwelling + step, 0, len(d["tenure"]) - 1), dwelling)
    events = {"dwelling": dwelling, "category": category, "day": day, "spill": spill}
    ctx.shared["complaints"] = events
    return events


def _occupant_on(ctx: WardContext, dwelling: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The lead person living in each dwelling on each day (0 if empty)."""
    sp = ctx.spells
    lo = np.searchsorted(sp["dwelling"], dwelling, "left")
    hi = np.searchsorted(sp["dwelling"], dwelling, "right")
    out = np.zeros(len(dwelling), np.int64)
    for i, (a, b, t) in enumerate(zip(lo.tolist(), hi.tolist(), day.tolist())):
        for s in range(a, b):
            if sp["start"][s] <= t < sp["end"][s]:
                out[i] = ctx.lead_of(np.array([s]))[0]
                break
    return out


def build_env_health_requests(ctx: WardContext) -> Batch:
    """Service requests as a call handler logs them: free-text location, postcode often missing."""
    rng = ctx.rng("env_health_requests")
    ev = complaint_events(ctx)
    n_dw = len(ctx.d["tenure"])
    rows = {"dwelling": ev["dwelling"], "category": ev["category"], "day": ev["day"], "anon": rng.random(len(ev["day"])) < 0.4}
    street_level = max(1, len(ev["day"]) // 30)
    rows = {k: np.concatenate([v, np.full(street_level, -1) if k == "dwelling" else
                               (rng.integers(0, 5, street_level) if k == "category" else
                                (rng.integers(0, ctx.window_days, street_level) if k == "day" else np.ones(street_level, bool)))])
            for k, v in rows.items()}
    order = np.argsort(rows["day"], kind="stable")
    rows = {k: v[order] for k, v in rows.items()}
    rows, dup = with_duplicates(rows, ctx.profile("env_health_requests").duplicate, rng)
    n = len(rows["day"])
    has_home = rows["dwelling"] >= 0
    units = ctx.dwelling_unit[np.maximum(rows["dwelling"], 0)]
    rendered = ctx.addresses("env_health_requests", units, EH_STYLE, rng)
    location = [x[0] for x in rendered.lines]
    streets = ctx.gaz["street"]
    for i in np.flatnonzero(~has_home).tolist():
        a, b = streets[rng.integers(len(streets))], streets[rng.integers(len(streets))]
        location[i] = (f"Junction of {a} and {b}", f"Alleyway rear of {a}", f"Outside nos 2-20 {a}")[i % 3]
    neighbour = np.clip(rows["dwelling"] + rng.choice([-2, -1, 1, 2], n), 0, n_dw - 1)
    complainant = np.where(rows["anon"], 0, _occupant_on(ctx, neighbour, rows["day"]))
    _, first, _, last, name_err = ctx.names("env_health_requests",
                                            np.where(complainant > 0, complainant, ctx.people["person_id"][0]), rng)
    name = [f"{f} {s}" if c > 0 else "Anonymous" for f, s, c in zip(first, last, complainant.tolist())]
    name_err = [e if c > 0 else [] for e, c in zip(name_err, complainant.tolist())]
    received, varied = format_dates(ctx.ordinal(rows["day"]), "%d/%m/%Y", ctx.profile("env_health_requests").date_variant, rng)
    ids = ctx.counters.take("env_health_requests", n, 10_001)
    years = (ctx.config.start_year + rows["day"] // 365) % 100
    uprn = np.where(has_home, ctx.gaz["uprn"][units], 0)
    columns = {
        "SR Number": [f"SR{y:02d}/{i:06d}" for y, i in zip(years.tolist(), ids.tolist())],
        "Date Received": received, "Service Type": np.array(COMPLAINT_TYPES)[rows["category"]].tolist(),
        "Location": location, "Postcode": [p if h and rng.random() < 0.5 else "" for p, h in zip(rendered.postcode, has_home.tolist())],
        "Complainant": name, "Status": np.array(["Closed", "Closed", "NFA", "Open"])[rng.integers(4, size=n)].tolist(),
    }
    errs = rendered.errors
    errs = [e if h else ["not_an_address"] for e, h in zip(errs, has_home.tolist())]
    persons = np.flatnonzero(complainant > 0)
    return Batch(columns=columns, record_id=columns["SR Number"], uprn=uprn,
                 errors=join_errors(errs, name_err, duplicate=dup, extra={"date_variant": varied}),
                 person_rows=persons, person_ids=complainant[persons])


def build_fire_service(ctx: WardContext) -> Batch:
    """Fire and rescue incidents at dwellings and home fire safety visits (HFSV)."""
    rng = ctx.rng("fire_service")
    d = ctx.d
    u = d["hmo_visibility"]
    kind = ctx.gaz["kind"][ctx.dwelling_unit]
    rate = 0.012 + 0.02 * (d["tenure"] == SOCIAL) + 0.035 * (kind == SHOP_FLAT) + 0.03 * d["is_student_let"]
    rate = rate + 0.02 * d["is_large_family"] + d["is_hmo"] * (0.02 + 0.22 * u)
    incidents = np.repeat(np.arange(len(rate)), rng.poisson(rate))
    visit_p = 0.02 + 0.05 * (d["tenure"] == SOCIAL) + 0.09 * u * d["is_hmo"] + 0.04 * d["is_large_family"]
    visits = np.flatnonzero(rng.random(len(rate)) < visit_p)
    dwelling = np.r_[incidents, visits]
    is_visit = np.r_[np.zeros(len(incidents), bool), np.ones(len(visits), bool)]
    rows = {"dwelling": dwelling, "visit": is_visit, "day": rng.integers(0, ctx.window_days, len(dwelling))}
    order = np.argsort(rows["day"], kind="stable")
    rows = {k: v[order] for k, v in rows.items()}
    rows, dup = with_duplicates(rows, ctx.profile("fire_service").duplicate, rng)
    n = len(rows["day"])
    units = ctx.dwelling_unit[rows["dwelling"]]
    rendered = ctx.addresses("fire_service", units, FIRE_STYLE, rng)
    resident = np.where(rows["visit"], _occupant_on(ctx, rows["dwelling"], rows["day"]), 0)
    _, first, _, last, name_err = ctx.names("fire_service", np.where(resident > 0, resident, ctx.people["person_id"][0]), rng)
    hmo = d["is_hmo"][rows["dwelling"]]
    category = np.where(hmo & (rng.random(n) < 0.25), "Dwelling - HMO",
                        np.where(np.isin(kind[rows["dwelling"]], (0, 1, 2)), "Dwelling - House", "Dwelling - Flat"))
    category = np.where(d["is_student_let"][rows["dwelling"]] & (rng.random(n) < 0.15), "Dwelling - HMO", category)
    types = np.array(["Primary Fire - Dwelling", "False Alarm - AFA", "False Alarm - Good Intent",
                      "Special Service - Flooding", "Special Service - Effecting Entry"])
    itype = np.where(rows["visit"], "Home Fire Safety Visit", types[rng.choice(5, n, p=[.25, .35, .15, .15, .1])])
    ids = ctx.counters.take("fire_service", n, 100_001)
    when = ctx.origin + rows["day"]
    stamps = (np.array(when - 719163, dtype="datetime64[D]").astype("datetime64[s]")
              + rng.integers(0, 86_400, n).astype("timedelta64[s]"))
    occupants = np.where(rows["visit"], _people_on(ctx, rows["dwelling"], rows["day"]), -1)
    columns = {
        "incident_number": [f"IRS{i:07d}" for i in ids.tolist()], "activity": np.where(rows["visit"], "HFSV", "Incident").tolist(),
        "occurred_at": stamps.astype("datetime64[us]").tolist(), "incident_type": itype.tolist(), "property_category": category.tolist(),
        "address_text": [x[0] for x in rendered.lines], "postcode": rendered.postcode,
        "uprn": ctx.uprn_column("fire_service", ctx.gaz["uprn"][units], rng),
        "resident_name": [f"{f} {s}" if r > 0 else "" for f, s, r in zip(first, last, resident.tolist())],
        "occupants_recorded": [int(x) if x >= 0 else None for x in occupants.tolist()],
        "smoke_alarm": np.array(["Working", "Working", "Not working", "None fitted"])[rng.integers(4, size=n)].tolist(),
    }
    name_err = [e if r > 0 else [] for e, r in zip(name_err, resident.tolist())]
    persons = np.flatnonzero(resident > 0)
    return Batch(columns=columns, record_id=columns["incident_number"], uprn=ctx.gaz["uprn"][units],
                 errors=join_errors(rendered.errors, name_err, duplicate=dup), person_rows=persons,
                 person_ids=resident[persons])


def _people_on(ctx: WardContext, dwelling: np.ndarray, day: np.ndarray) -> np.ndarray:
    sp = ctx.spells
    out = np.zeros(len(dwelling), np.int64)
    for i, (w, t) in enumerate(zip(dwelling.tolist(), day.tolist())):
        lo, hi = np.searchsorted(sp["dwelling"], [w, w + 1])
        live = (sp["start"][lo:hi] <= t) & (sp["end"][lo:hi] > t)
        out[i] = int(sp["size"][lo:hi][live].sum())
    return out


def build_police_asb(ctx: WardContext) -> Batch:
    """Police anti-social behaviour incidents; many are logged to a street, not an address."""
    rng = ctx.rng("police_asb")
    d = ctx.d
    u = d["hmo_visibility"]
    kind = ctx.gaz["kind"][ctx.dwelling_unit]
    rate = 0.025 + 0.09 * (d["tenure"] == SOCIAL) + 0.15 * d["is_student_let"] + 0.06 * d["is_large_family"]
    rate = rate + 0.1 * (kind == SHOP_FLAT) + d["is_hmo"] * (0.03 + 0.45 * u ** 1.5)
    dwelling = np.repeat(np.arange(len(rate)), rng.poisson(rate))
    rows = {"dwelling": dwelling, "day": rng.integers(0, ctx.window_days, len(dwelling)),
            "street": rng.random(len(dwelling)) < 0.3}
    order = np.argsort(rows["day"], kind="stable")
    rows = {k: v[order] for k, v in rows.items()}
    rows, dup = with_duplicates(rows, ctx.profile("police_asb").duplicate, rng)
    n = len(rows["day"])
    units = ctx.dwelling_unit[rows["dwelling"]]
    rendered = ctx.addresses("police_asb", units, ASB_STYLE, rng)
    location = [x[0] for x in rendered.lines]
    street = ctx.gaz["street"][units]
    for i in np.flatnonzero(rows["street"]).tolist():
        location[i] = f"{street[i].upper()} {('NR', 'O/S', 'JW', 'REAR OF')[i % 4]} {ctx.gaz['street'][rng.integers(len(units))].upper()}"
    when, varied = format_dates(ctx.ordinal(rows["day"]), "%d/%m/%Y", ctx.profile("police_asb").date_variant, rng)
    clock = rng.integers(0, 24 * 60, n)
    ids = ctx.counters.take("police_asb", n, 1)
    columns = {
        "CAD Ref": [f"CAD{i:07d}" for i in ids.tolist()],
        "Occurrence Date": [f"{w} {c // 60:02d}:{c % 60:02d}" for w, c in zip(when, clock.tolist())],
        "Category": np.array(["ASB - Nuisance", "ASB - Personal", "ASB - Environmental"])[rng.choice(3, n, p=[.7, .2, .1])].tolist(),
        "Location": location, "Postcode": [p if not s and rng.random() < 0.6 else "" for p, s in zip(rendered.postcode, rows["street"].tolist())],
        "Beat": [f"{ctx.ward.code[-2:]}{'ABCD'[x % 4]}" for x in ctx.gaz["lsoa_index"][units].tolist()],
        "Closure": np.array(["Advice given", "No further action", "Referred to partner agency"])[rng.integers(3, size=n)].tolist(),
    }
    errs = [["not_an_address"] if s else e for e, s in zip(rendered.errors, rows["street"].tolist())]
    uprn = np.where(rows["street"], 0, ctx.gaz["uprn"][units])
    return Batch(columns=columns, record_id=columns["CAD Ref"], uprn=uprn,
                 errors=join_errors(errs, duplicate=dup, extra={"date_variant": varied}))
