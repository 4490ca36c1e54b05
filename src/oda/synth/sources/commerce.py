"""Business records: business rates, the food business register, and company officers.

The same business appears under its trading name (food register), its legal name or a sole
trader's "Mr X T/A Y" (rates), and its registered name with directors (companies register). A
director may be a resident, so people link across to the residential sources.
"""

from __future__ import annotations

import numpy as np

from oda.synth.addresses import AddressStyle
from oda.synth.businesses import HOME_CATERER, KIND_NAMES
from oda.synth.namebank import ACCOUNTANT_ADDRESSES, BUSINESS_KINDS
from oda.synth.noise import format_dates
from oda.synth.sources.base import Batch, WardContext, dates, join_errors, with_duplicates

RATES_STYLE = AddressStyle(lines=4, case="upper", town=True)
FOOD_STYLE = AddressStyle(lines=4, case="title", town=True)
CH_STYLE = AddressStyle(lines=2, case="upper", town=False)
_DESCRIPTION = {k[0]: k[2] for k in BUSINESS_KINDS}
_FOOD_TYPE = {"cafe": "Restaurant/Cafe/Canteen", "restaurant": "Restaurant/Cafe/Canteen", "takeaway": "Takeaway/sandwich shop",
              "convenience": "Retailers - other", "pub": "Pub/bar/nightclub", "grocer": "Retailers - supermarkets/hypermarkets",
              "bakery": "Manufacturers/packers", "home_caterer": "Restaurant/Cafe/Canteen"}


def _business_rows(ctx: WardContext, business_ids: np.ndarray) -> np.ndarray:
    return np.searchsorted(ctx.commerce.businesses["business_id"], business_ids)


def _proprietor(ctx: WardContext, business_ids: np.ndarray) -> np.ndarray:
    """The first director or proprietor of each business."""
    dirs = ctx.commerce.directors
    first = np.searchsorted(dirs["business"], business_ids)
    return dirs["person"][np.clip(first, 0, len(dirs["person"]) - 1)]


def build_business_rates(ctx: WardContext) -> Batch:
    """Non-domestic rates accounts for each occupier of each commercial unit."""
    rng = ctx.rng("business_rates")
    sites = ctx.commerce.sites
    keep = ~sites["on_dwelling"]
    rows = {k: v[keep] for k, v in sites.items()}
    rows, dup = with_duplicates(rows, ctx.profile("business_rates").duplicate, rng)
    n = len(rows["unit"])
    b = ctx.commerce.businesses
    bi = _business_rows(ctx, rows["business"])
    rendered = ctx.addresses("business_rates", rows["unit"], RATES_STYLE, rng)
    owner = _proprietor(ctx, rows["business"])
    title, first, _, last, name_err = ctx.names("business_rates", owner, rng)
    company = b["is_company"][bi]
    payer = [str(lg) if c else f"{t} {f} {s} T/A {tr}".upper()
             for lg, c, t, f, s, tr in zip(b["legal_name"][bi].tolist(), company.tolist(), title, first, last,
                                          b["trading_name"][bi].tolist())]
    value = np.round(rng.lognormal(9.6, 0.5, n), -2).astype(int)
    start_txt, _ = format_dates(ctx.ordinal(rows["start"]), "%d/%m/%Y", 0.0, rng)
    end_txt, _ = format_dates(ctx.ordinal(np.minimum(rows["end"], 10**5)), "%d/%m/%Y", 0.0, rng,
                              missing=rows["end"] >= ctx.window_days)
    ids = ctx.counters.take("business_rates", n, 60_000_001)
    columns = {
        "Account No": [f"{i:08d}" for i in ids.tolist()],
        "Property Reference": [f"N{u:011d}" for u in ctx.gaz["uprn"][rows["unit"]].tolist()],
        "Ratepayer": payer, **{f"Address {k + 1}": [x[k] for x in rendered.lines] for k in range(4)},
        "Postcode": rendered.postcode, "Description": [_DESCRIPTION.get(k, "Shop and Premises") for k in b["kind"][bi].tolist()],
        "Rateable Value": value.tolist(), "Liability Start": start_txt, "Liability End": end_txt,
        "SBRR": np.where(value < 15_000, "Y", "N").tolist(),
        "UPRN": ctx.uprn_column("business_rates", ctx.gaz["uprn"][rows["unit"]], rng),
    }
    p_rows = np.flatnonzero(~company)
    return Batch(columns=columns, record_id=columns["Account No"], uprn=ctx.gaz["uprn"][rows["unit"]],
                 errors=join_errors(rendered.errors, [e if not c else [] for e, c in zip(name_err, company.tolist())],
                                    duplicate=dup),
                 person_rows=p_rows, person_ids=owner[p_rows], business_rows=np.arange(n), business_ids=rows["business"])


def build_food_businesses(ctx: WardContext) -> Batch:
    """The food business register with hygiene ratings, including home caterers."""
    rng = ctx.rng("food_businesses")
    sites = ctx.commerce.sites
    b = ctx.commerce.businesses
    kinds = b["kind"][_business_rows(ctx, sites["business"])]
    keep = np.isin(kinds, list(_FOOD_TYPE))
    rows = {k: v[keep] for k, v in sites.items()}
    rows, dup = with_duplicates(rows, ctx.profile("food_businesses").duplicate, rng)
    n = len(rows["unit"])
    bi = _business_rows(ctx, rows["business"])
    rendered = ctx.addresses("food_businesses", rows["unit"], FOOD_STYLE, rng)
    ids = ctx.counters.take("food_businesses", n, 1_400_001)
    rating_day = np.maximum(rows["start"], 0) + rng.integers(30, 400, n)
    lat = ctx.gaz["lat"][rows["unit"]]
    lon = ctx.gaz["lon"][rows["unit"]]
    has_geo = rng.random(n) < 0.8
    columns = {
        "FHRSID": ids.tolist(), "BusinessName": b["trading_name"][bi].tolist(),
        "BusinessType": [_FOOD_TYPE[k] for k in b["kind"][bi].tolist()],
        **{f"AddressLine{k + 1}": [x[k] for x in rendered.lines] for k in range(4)}, "PostCode": rendered.postcode,
        "RatingValue": rng.choice(["5", "5", "5", "4", "4", "3", "2", "1", "0", "AwaitingInspection"], n).tolist(),
        "RatingDate": dates(ctx.ordinal(np.minimum(rating_day, ctx.window_days - 1))),
        "Latitude": [float(x) if g else None for x, g in zip(lat.tolist(), has_geo.tolist())],
        "Longitude": [float(x) if g else None for x, g in zip(lon.tolist(), has_geo.tolist())],
        "LocalAuthorityBusinessID": [f"PI/{x:09d}" for x in rows["business"].tolist()],
    }
    home = b["kind"][bi] == KIND_NAMES[HOME_CATERER]
    p_rows = np.flatnonzero(home)
    return Batch(columns=columns, record_id=[str(i) for i in ids.tolist()], uprn=ctx.gaz["uprn"][rows["unit"]],
                 errors=join_errors(rendered.errors, duplicate=dup), business_rows=np.arange(n),
                 business_ids=rows["business"], person_rows=p_rows, person_ids=_proprietor(ctx, rows["business"][p_rows]))


def build_companies(ctx: WardContext) -> Batch:
    """Company officers (one row per director appointment) with each company's registered office."""
    rng = ctx.rng("companies")
    dirs = ctx.commerce.directors
    keep = dirs["is_company"]
    rows = {k: v[keep] for k, v in dirs.items()}
    rows, dup = with_duplicates(rows, ctx.profile("companies").duplicate, rng)
    n = len(rows["business"])
    b = ctx.commerce.businesses
    bi = _business_rows(ctx, rows["business"])
    sites = ctx.commerce.sites
    site_of = {int(x): int(u) for x, u in zip(sites["business"].tolist(), sites["unit"].tolist())}
    unit = np.array([site_of.get(int(x), -1) for x in rows["business"].tolist()])
    # Lettings companies and most others register at an accountant's; some at the director's home.
    at_site = (unit >= 0) & (b["office_at_site"][bi] | np.isin(b["kind"][bi], ("home_consultancy",)))
    rendered = ctx.addresses("companies", np.maximum(unit, 0), CH_STYLE, rng)
    accountant = rng.integers(len(ACCOUNTANT_ADDRESSES), size=n)
    line1 = [x[0] if s else ACCOUNTANT_ADDRESSES[a][0] or ACCOUNTANT_ADDRESSES[a][1]
             for x, s, a in zip(rendered.lines, at_site.tolist(), accountant.tolist())]
    line2 = [x[1] if s else (ACCOUNTANT_ADDRESSES[a][1] if ACCOUNTANT_ADDRESSES[a][0] else "")
             for x, s, a in zip(rendered.lines, at_site.tolist(), accountant.tolist())]
    town = [ctx.config.town if s else ACCOUNTANT_ADDRESSES[a][2] for s, a in zip(at_site.tolist(), accountant.tolist())]
    postcode = [p if s else ACCOUNTANT_ADDRESSES[a][3] for p, s, a in zip(rendered.postcode, at_site.tolist(), accountant.tolist())]
    _, first, middle, last, name_err = ctx.names("companies", rows["person"], rng)
    prow = ctx.person_rows(rows["person"])
    dob = ctx.people["dob_ordinal"][prow]
    ids = ctx.counters.take("companies", n, 1)
    uprn = np.where(at_site, ctx.gaz["uprn"][np.maximum(unit, 0)], 0)
    columns = {
        "OfficerAppointmentId": [f"OA{i:08d}" for i in ids.tolist()], "CompanyNumber": b["company_number"][bi].tolist(),
        "CompanyName": b["legal_name"][bi].tolist(), "RegAddress.AddressLine1": line1, "RegAddress.AddressLine2": line2,
        "RegAddress.PostTown": town, "RegAddress.PostCode": postcode,
        "CompanyStatus": np.where(rng.random(n) < 0.93, "Active", "Dissolved").tolist(),
        "IncorporationDate": format_dates(b["incorporated_ordinal"][bi], "%d/%m/%Y", 0.0, rng)[0],
        "SICCode.SicText_1": b["sic"][bi].tolist(),
        "OfficerName": [f"{s.upper()}, {f} {m}".strip() for f, m, s in zip(first, middle, last)],
        "OfficerRole": ["director"] * n,
        "DateOfBirth": [format_dates(np.array([x]), "%Y-%m", 0.0, rng)[0][0] for x in dob.tolist()],
        "AppointedOn": format_dates(rows["appointed"], "%d/%m/%Y", 0.0, rng)[0],
    }
    errs = [e if s else [] for e, s in zip(rendered.errors, at_site.tolist())]
    return Batch(columns=columns, record_id=columns["OfficerAppointmentId"], uprn=uprn,
                 errors=join_errors(errs, name_err, duplicate=dup), person_rows=np.arange(n), person_ids=rows["person"],
                 business_rows=np.arange(n), business_ids=rows["business"])
