"""Housing records: the HMO licence register, EPCs, planning and building control, inspections.

Inspections are chosen the way councils choose them: mostly after a complaint of overcrowding or
disrepair, a few when a licence is applied for, very few at random. So the labelled set is
biased towards loud properties, and "not inspected" is not "not an HMO".
"""

from __future__ import annotations

import numpy as np

from oda.synth.addresses import AddressStyle
from oda.synth.gazetteer import DETACHED, SEMI, SHELL, TERRACED
from oda.synth.noise import format_dates
from oda.synth.occupancy import HMO_TENANT, LODGER, OWNER, PRIVATE, SOCIAL, STUDENTS
from oda.synth.sources.base import Batch, WardContext, dates, join_errors, with_duplicates
from oda.synth.sources.council import _landlord
from oda.synth.sources.incidents import complaint_events

LICENCE_STYLE = AddressStyle(lines=3, case="title", town=True)
EPC_STYLE = AddressStyle(lines=3, case="upper", town=True)
PLANNING_STYLE = AddressStyle(lines=0, case="title", postcode_in_line=True, town=True)
INSPECTION_STYLE = AddressStyle(lines=0, case="title", town=False)
_TRIGGER = np.array([0.08, 0.15, 0.12, 0.35, 0.6])  # by complaint category


def _holder_names(ctx: WardContext, dwellings: np.ndarray, source: str, rng: np.random.Generator):
    person, business = _landlord(ctx, dwellings)
    _, first, _, last, errs = ctx.names(source, np.where(person > 0, person, ctx.people["person_id"][0]), rng)
    b = ctx.commerce.businesses
    legal = b["legal_name"][np.clip(np.searchsorted(b["business_id"], business), 0, len(b["business_id"]) - 1)]
    names = [f"{f} {s}" if p > 0 else str(lg) for f, s, p, lg in zip(first, last, person.tolist(), legal.tolist())]
    errs = [e if p > 0 else [] for e, p in zip(errs, person.tolist())]
    return names, errs, person, business


def build_hmo_licences(ctx: WardContext) -> Batch:
    """Licensed HMOs, plus expired licences of houses that are no longer HMOs."""
    rng = ctx.rng("hmo_licences")
    d = ctx.d
    former = np.flatnonzero((d["tenure"] == PRIVATE) & ~d["is_hmo"] & (rng.random(len(d["tenure"])) < 0.004))
    homes = np.r_[np.flatnonzero(d["hmo_licensed"]), former]
    status = np.r_[np.full(d["hmo_licensed"].sum(), "Granted"), np.full(len(former), "Expired")]
    issued = np.where(status == "Granted", rng.integers(-1500, ctx.window_days - 100, len(homes)),
                      rng.integers(-3000, -1900, len(homes)))
    rows = {"home": homes, "status": status, "issued": issued}
    rows, dup = with_duplicates(rows, ctx.profile("hmo_licences").duplicate, rng)
    homes = rows["home"]
    n = len(homes)
    units = ctx.dwelling_unit[homes]
    rendered = ctx.addresses("hmo_licences", units, LICENCE_STYLE, rng)
    holder, name_err, person, business = _holder_names(ctx, homes, "hmo_licences", rng)
    rooms = np.where(d["hmo_rooms"][homes] > 0, d["hmo_rooms"][homes], rng.integers(3, 6, n))
    ids = ctx.counters.take("hmo_licences", n, 1)
    year = ctx.config.start_year + rows["issued"] // 365
    columns = {
        "Licence Number": [f"HMO/{y}/{i:05d}" for y, i in zip(year.tolist(), ids.tolist())],
        "Licence Type": np.where(rooms >= 5, "Mandatory", "Additional").tolist(), "Licence Holder": holder,
        "Address Line 1": [x[0] for x in rendered.lines], "Address Line 2": [x[1] for x in rendered.lines],
        "Address Line 3": [x[2] for x in rendered.lines], "Postcode": rendered.postcode,
        "UPRN": ctx.uprn_column("hmo_licences", ctx.gaz["uprn"][units], rng),
        "Max Occupiers": (rooms + (rng.random(n) < 0.3)).tolist(), "Max Households": rooms.tolist(),
        "Storeys": np.clip(rooms // 2 + 1, 2, 4).tolist(), "Issue Date": dates(ctx.ordinal(rows["issued"])),
        "Expiry Date": dates(ctx.ordinal(rows["issued"] + 5 * 365)), "Status": rows["status"].tolist(),
    }
    p_rows, b_rows = np.flatnonzero(person > 0), np.flatnonzero(person == 0)
    return Batch(columns=columns, record_id=columns["Licence Number"], uprn=ctx.gaz["uprn"][units],
                 errors=join_errors(rendered.errors, name_err, duplicate=dup), person_rows=p_rows,
                 person_ids=person[p_rows], business_rows=b_rows, business_ids=business[b_rows])


_EPC_TENURE = {OWNER: ("owner-occupied", "Owner-occupied"), PRIVATE: ("rental (private)", "Rented (private)"),
               SOCIAL: ("rental (social)", "Rented (social)")}


def build_epc(ctx: WardContext) -> Batch:
    """Energy Performance Certificates lodged before and during the window."""
    rng = ctx.rng("epc")
    d, sp = ctx.d, ctx.spells
    n_dw = len(d["tenure"])
    background = np.flatnonzero(rng.random(n_dw) < 0.5)
    bg_day = rng.integers(-3650, -30, len(background))
    new = (sp["start"] > 0) & (sp["start"] < ctx.window_days)
    tenure = d["tenure"][sp["dwelling"]]
    p = np.select([sp["kind"] == HMO_TENANT, sp["kind"] == LODGER, sp["kind"] == STUDENTS, tenure == OWNER,
                   tenure == SOCIAL], [0.0, 0.0, 0.25, 0.7, 0.12], 0.45)
    lets = np.flatnonzero(new & (rng.random(len(new)) < p))
    hmos = np.flatnonzero(d["is_hmo"] & (rng.random(n_dw) < 0.1 + 0.3 * d["hmo_visibility"]))
    hmo_day = np.where(d["hmo_since"][hmos] > 0, d["hmo_since"][hmos], rng.integers(0, ctx.window_days, len(hmos)))
    rows = {"home": np.r_[background, sp["dwelling"][lets], hmos], "day": np.r_[bg_day, sp["start"][lets], hmo_day]}
    rows, dup = with_duplicates(rows, ctx.profile("epc").duplicate, rng)
    homes = rows["home"]
    n = len(homes)
    units = ctx.dwelling_unit[homes]
    rendered = ctx.addresses("epc", units, EPC_STYLE, rng)
    kind = ctx.gaz["kind"][units]
    ten = d["tenure"][homes]
    tenure_txt = [(_EPC_TENURE.get(int(t), ("unknown", "NO DATA!"))[int(x)] if r > 0.05 else "unknown")
                  for t, x, r in zip(ten.tolist(), rng.integers(2, size=n).tolist(), rng.random(n).tolist())]
    form = np.select([kind == TERRACED, kind == SEMI, kind == DETACHED], ["Mid-Terrace", "Semi-Detached", "Detached"],
                     np.where(rng.random(n) < 0.5, "Mid-Terrace", "End-Terrace"))
    # Certificates lodged before the window describe the house before any conversion.
    before = rows["day"] < 0
    area = np.where(before, d["original_floor_area"][homes], d["floor_area"][homes])
    area = (area * rng.normal(1, 0.04, n)).round(1)
    beds = np.where(before, d["original_bedrooms"][homes], d["bedrooms"][homes])
    rooms = np.maximum(1, beds + np.where(d["is_hmo"][homes] & ~before, rng.integers(0, 2, n), 1))
    lmk = rng.integers(0, 2**62, n)
    columns = {
        "LMK_KEY": [f"{x:016x}{y:016x}" for x, y in zip(lmk.tolist(), ctx.counters.take("epc", n, 7_000_000).tolist())],
        "ADDRESS1": [x[0] for x in rendered.lines], "ADDRESS2": [x[1] for x in rendered.lines],
        "ADDRESS3": [x[2] for x in rendered.lines], "POSTCODE": rendered.postcode,
        "UPRN": ctx.uprn_column("epc", ctx.gaz["uprn"][units], rng),
        "PROPERTY_TYPE": np.where(np.isin(kind, (TERRACED, SEMI, DETACHED)), "House",
                                  np.where(rng.random(n) < 0.1, "Maisonette", "Flat")).tolist(),
        "BUILT_FORM": form.tolist(), "TOTAL_FLOOR_AREA": area.tolist(), "NUMBER_HABITABLE_ROOMS": rooms.tolist(),
        "CURRENT_ENERGY_RATING": np.array(list("BCDDDEEFG"))[rng.integers(9, size=n)].tolist(),
        "TENURE": tenure_txt,
        "LODGEMENT_DATE": format_dates(ctx.ordinal(rows["day"]), "%Y-%m-%d", 0.0, rng)[0],
    }
    return Batch(columns=columns, record_id=columns["LMK_KEY"], uprn=ctx.gaz["uprn"][units],
                 errors=join_errors(rendered.errors, duplicate=dup))


_PROPOSALS = (
    ("Change of use from single dwellinghouse (C3) to small house in multiple occupation (C4) for {r} persons", "Full Planning"),
    ("Erection of rear dormer roof extension and installation of rooflights to front", "Householder"),
    ("Erection of single storey rear extension", "Householder"),
    ("Certificate of lawfulness for existing use as a small HMO (C4) for {r} occupants", "Lawful Development Certificate"),
    ("Fire separation works, installation of fire doors and mains-wired alarm system", "Building Control - Building Notice"),
    ("Conversion of dwellinghouse into {r} self-contained flats", "Full Planning"),
    ("Change of use of ground floor from retail (Class E) to hot food takeaway (Sui Generis)", "Full Planning"),
    ("Replacement of single glazed windows with double glazed timber sash windows", "Householder"),
)


def build_planning(ctx: WardContext) -> Batch:
    """Planning and building-control applications about the ward's properties."""
    rng = ctx.rng("planning")
    d = ctx.d
    n_dw = len(d["tenure"])
    u = d["hmo_visibility"]
    hmo = d["is_hmo"]
    late = d["hmo_since"] > 0
    student = d["is_student_let"]
    other_private = (d["tenure"] == PRIVATE) & ~hmo & ~student
    p = np.stack([hmo * (0.05 + 0.25 * late) + student * 0.06 + other_private * 0.008,
                  hmo * (0.08 + 0.2 * u) + (d["tenure"] == OWNER) * 0.09,
                  hmo * 0.05 + (d["tenure"] == OWNER) * 0.07 + d["is_large_family"] * 0.1,
                  hmo * 0.04 * u + student * 0.03,
                  hmo * 0.08 * u + student * 0.05 + other_private * 0.004 + (d["tenure"] == SOCIAL) * 0.005,
                  np.zeros(n_dw), np.zeros(n_dw), (d["tenure"] != SOCIAL) * 0.03], axis=1)
    home, proposal = np.nonzero(rng.random(p.shape) < p)
    unit = ctx.dwelling_unit[home]
    shells = np.flatnonzero((ctx.gaz["kind"] == SHELL) & (rng.random(len(ctx.gaz["kind"])) < 0.015))
    shops = np.flatnonzero((ctx.gaz["kind"] == 6) & (rng.random(len(ctx.gaz["kind"])) < 0.03))
    rows = {"unit": np.r_[unit, shells, shops], "home": np.r_[home, np.full(len(shells) + len(shops), -1)],
            "proposal": np.r_[proposal, np.full(len(shells), 5), np.full(len(shops), 6)]}
    rows["day"] = np.where((rows["proposal"] <= 3) & (rows["home"] >= 0) & late[np.maximum(rows["home"], 0)],
                           d["hmo_since"][np.maximum(rows["home"], 0)] + rng.integers(-30, 200, len(rows["unit"])),
                           rng.integers(0, ctx.window_days, len(rows["unit"])))
    rows["day"] = np.clip(rows["day"], 0, ctx.window_days - 1)
    order = np.argsort(rows["day"], kind="stable")
    rows = {k: v[order] for k, v in rows.items()}
    rows, dup = with_duplicates(rows, ctx.profile("planning").duplicate, rng)
    n = len(rows["unit"])
    rendered = ctx.addresses("planning", rows["unit"], PLANNING_STYLE, rng)
    home = rows["home"]
    private = (home >= 0) & (d["tenure"][np.maximum(home, 0)] == PRIVATE)
    llp, llb = _landlord(ctx, np.maximum(home, 0))
    first_spell = np.minimum(np.searchsorted(ctx.spells["dwelling"], np.maximum(home, 0)), len(ctx.spells["dwelling"]) - 1)
    resident = np.where(ctx.spells["dwelling"][first_spell] == home, ctx.lead_of(first_spell), 0)
    applicant = np.where(private, llp, np.where(home >= 0, resident, 0))
    _, first, _, last, name_err = ctx.names("planning", np.where(applicant > 0, applicant, ctx.people["person_id"][0]), rng)
    b = ctx.commerce.businesses
    legal = b["legal_name"][np.clip(np.searchsorted(b["business_id"], llb), 0, len(b["business_id"]) - 1)]
    company = private & (llp == 0)
    names = [f"{f} {s}" if a > 0 else (str(lg) if c else "The Owner")
             for f, s, a, c, lg in zip(first, last, applicant.tolist(), company.tolist(), legal.tolist())]
    rooms = np.maximum(3, d["hmo_rooms"][np.maximum(home, 0)])
    text = [_PROPOSALS[k][0].format(r=r) for k, r in zip(rows["proposal"].tolist(), rooms.tolist())]
    received, varied = format_dates(ctx.ordinal(rows["day"]), "%d/%m/%Y", ctx.profile("planning").date_variant, rng)
    decided = rng.random(n) < 0.85
    decision_txt, _ = format_dates(ctx.ordinal(rows["day"] + rng.integers(40, 120, n)), "%d/%m/%Y", 0.0, rng, missing=~decided)
    ids = ctx.counters.take("planning", n, 1)
    year = ctx.config.start_year + rows["day"] // 365
    suffix = np.array(["FUL", "HH", "HH", "LDC", "BN", "FUL", "FUL", "HH"])[rows["proposal"]]
    columns = {
        "Application Number": [f"{y}/{i:04d}/{s}" for y, i, s in zip(year.tolist(), ids.tolist(), suffix.tolist())],
        "Application Type": [_PROPOSALS[k][1] for k in rows["proposal"].tolist()], "Site Address": [x[0] for x in rendered.lines],
        "Proposal": text, "Applicant Name": names, "Date Received": received,
        "Decision": np.where(decided, np.where(rng.random(n) < 0.8, "Granted", "Refused"), "Pending").tolist(),
        "Decision Date": decision_txt, "Ward": [ctx.ward.name] * n,
        "UPRN": ctx.uprn_column("planning", ctx.gaz["uprn"][rows["unit"]], rng),
    }
    p_rows = np.flatnonzero(applicant > 0)
    b_rows = np.flatnonzero(company)
    return Batch(columns=columns, record_id=columns["Application Number"], uprn=ctx.gaz["uprn"][rows["unit"]],
                 errors=join_errors(rendered.errors, [e if a > 0 else [] for e, a in zip(name_err, applicant.tolist())],
                                    duplicate=dup, extra={"date_variant": varied}),
                 person_rows=p_rows, person_ids=applicant[p_rows], business_rows=b_rows, business_ids=llb[b_rows])


def build_inspections(ctx: WardContext) -> Batch:
    """Past housing inspections and their outcomes, chosen mostly after complaints."""
    rng = ctx.rng("inspections")
    d = ctx.d
    ev = complaint_events(ctx)
    # Private sector housing visits private homes; social landlords deal with their own tenants.
    social = d["tenure"][ev["dwelling"]] == SOCIAL
    trigger = rng.random(len(ev["day"])) < _TRIGGER[ev["category"]] * np.where(social, 0.1, 1.0)
    first_seen: dict[int, tuple[int, int]] = {}
    for w, day, t in zip(ev["dwelling"].tolist(), ev["day"].tolist(), trigger.tolist()):
        if t and (w not in first_seen or day < first_seen[w][0]):
            first_seen[w] = (day, 0)
    licence = np.flatnonzero(d["hmo_licensed"] & (rng.random(len(d["tenure"])) < 0.5))
    proactive = np.flatnonzero(rng.random(len(d["tenure"])) < 0.004)
    homes = np.array(list(first_seen) + licence.tolist() + proactive.tolist(), dtype=np.int64)
    reason = np.r_[np.zeros(len(first_seen), int), np.ones(len(licence), int), np.full(len(proactive), 2)]
    day = np.r_[[v[0] for v in first_seen.values()], rng.integers(0, ctx.window_days, len(licence) + len(proactive))]
    day = np.minimum(day + rng.integers(10, 60, len(day)), ctx.window_days - 1).astype(np.int64)
    rows = {"home": homes, "reason": reason, "day": day}
    order = np.argsort(rows["day"], kind="stable")
    rows = {k: v[order] for k, v in rows.items()}
    rows, dup = with_duplicates(rows, ctx.profile("inspections").duplicate, rng)
    n = len(rows["home"])
    homes = rows["home"]
    is_hmo = d["is_hmo"][homes] & ((d["hmo_since"][homes] < 0) | (d["hmo_since"][homes] <= rows["day"]))
    access = rng.random(n) > np.where(rows["reason"] == 1, 0.02, 0.15)
    spotted = rng.random(n) < 0.93
    outcome = np.where(~access, "No access", np.where(is_hmo & spotted, "HMO confirmed", "Not an HMO"))
    units = ctx.dwelling_unit[homes]
    rendered = ctx.addresses("inspections", units, INSPECTION_STYLE, rng)
    visit, varied = format_dates(ctx.ordinal(rows["day"]), "%d/%m/%Y", ctx.profile("inspections").date_variant, rng)
    ids = ctx.counters.take("inspections", n, 1)
    cat1 = np.where(access & (rng.random(n) < np.where(is_hmo, 0.35, 0.08)), rng.integers(1, 4, n), 0)
    columns = {
        "Inspection Ref": [f"INS-{i:06d}" for i in ids.tolist()], "Property Address": [x[0] for x in rendered.lines],
        "Postcode": rendered.postcode, "UPRN": ctx.uprn_column("inspections", ctx.gaz["uprn"][units], rng),
        "Visit Date": visit, "Reason": np.array(["Complaint", "Licence application", "Proactive"])[rows["reason"]].tolist(),
        "Outcome": outcome.tolist(), "Cat 1 Hazards": cat1.tolist(),
        "Officer": np.array(["JB", "SK", "AO", "MP", "RW", "TN"])[rng.integers(6, size=n)].tolist(),
    }
    return Batch(columns=columns, record_id=columns["Inspection Ref"], uprn=ctx.gaz["uprn"][units],
                 errors=join_errors(rendered.errors, duplicate=dup, extra={"date_variant": varied}))
