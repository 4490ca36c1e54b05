"""A small borough written straight into ``raw.*`` datasets, with its truth, for stage tests.

Unlike ``oda synth`` it skips files, ingest and linking (every record carries its UPRN), so the
feature, score, act and evaluate tests run in seconds. HMOs leave signals in proportion to a
*visibility*; inspections follow complaints (selection bias); some visits end in "No access";
one ward complains far more than the others whatever is there (the complaint-proxy trap).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from oda.engine.base import Engine

AS_OF = dt.date(2025, 6, 30)
START = dt.date(2022, 1, 1)
SURNAMES = [f"SURNAME{i:03d}" for i in range(400)]
FIRST = [f"FIRST{i:03d}" for i in range(200)]


@dataclass(frozen=True)
class Borough:
    truth: pa.Table          # uprn, is_hmo, hmo_licensed, ward
    as_of: dt.date


def _day(offset: int) -> dt.date:
    return START + dt.timedelta(days=int(offset))


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def build(engine: Engine, *, dwellings: int = 3000, seed: int = 0, hmo_share: float = 0.06) -> Borough:
    rng = np.random.default_rng(seed)
    n = dwellings
    uprn = np.arange(100_000_000_001, 100_000_000_001 + n).astype(str)
    street = rng.integers(0, 40, n)
    ward = street % 4
    house = rng.random(n) < 0.55
    is_hmo = (rng.random(n) < hmo_share * np.where(house, 1.5, 0.4))
    licensed = is_hmo & (rng.random(n) < 0.2)
    visibility = np.where(is_hmo, rng.beta(2, 1.5, n), 0.0)
    large_family = ~is_hmo & (rng.random(n) < 0.04)
    sharers = ~is_hmo & ~large_family & (rng.random(n) < 0.05)  # 3-4 friends: many surnames, not an HMO
    window = (AS_OF - START).days + 200  # some records fall after the as-of date

    gaz = {
        "record_id": uprn, "uprn": uprn,
        "address": [f"{i % 90 + 1} STREET{s:02d} ROAD, LONDON" for i, s in enumerate(street)],
        "parent_uprn": [""] * n,
        "classification": np.where(house, "RD04", "RD06").tolist(),
        "ward": [f"Ward {w}" for w in ward], "street": [f"STREET{s:02d} ROAD" for s in street],
        "lat": (51.5 + street * 0.001).tolist(), "lon": (-0.05 + rng.random(n) * 0.01).tolist(),
        "imd_decile": (street % 10 + 1).astype(str).tolist(),
    }
    engine.write("raw.gazetteer", pa.table(gaz))

    er: dict[str, list] = {k: [] for k in ("record_id", "uprn", "first_name", "surname", "register_year")}
    for i in range(n):
        for year in (2022, 2023, 2024, 2025, 2026):
            if is_hmo[i]:  # tenants often do not register
                tenants = rng.integers(3, 8)
                adults = int((rng.random(tenants) < 0.15 + 0.5 * visibility[i]).sum())
                names = rng.choice(len(SURNAMES), adults)
            elif sharers[i]:
                adults = rng.integers(3, 5)
                names = rng.choice(len(SURNAMES), adults)
            elif large_family[i]:
                adults = rng.integers(4, 8)
                names = np.full(adults, i % len(SURNAMES))
            else:
                adults = rng.integers(1, 3) if rng.random() < 0.85 else rng.integers(3, 5)
                names = np.full(adults, i % len(SURNAMES)) if rng.random() < 0.7 else rng.choice(len(SURNAMES), adults)
            for a, s in enumerate(names):
                er["record_id"].append(f"ER{year}-{i}-{a}")
                er["uprn"].append(uprn[i])
                er["first_name"].append(FIRST[rng.integers(0, len(FIRST))])
                er["surname"].append(SURNAMES[s])
                er["register_year"].append(str(year))
    engine.write("raw.electoral_register", pa.table(er))

    ct: dict[str, list] = {k: [] for k in ("record_id", "uprn", "address_line_1", "full_name", "start_date", "end_date",
                                           "band", "spd", "exemption")}
    for i in range(n):
        by_room = is_hmo[i] and rng.random() < 0.4
        accounts = rng.poisson(2 + 3 * visibility[i]) + 2 if is_hmo[i] else rng.poisson(0.5 + sharers[i]) + 1
        starts = np.sort(rng.integers(-400, window, accounts))
        for a, s in enumerate(starts):
            end = starts[a + 1] - 1 if a + 1 < len(starts) and not by_room else (
                s + int(rng.integers(150, 500)) if by_room else None)
            ct["record_id"].append(f"CT{i}-{a}")
            ct["uprn"].append(uprn[i] if rng.random() > 0.05 else "")
            ct["address_line_1"].append(f"ROOM {a + 1}, {i % 90 + 1} STREET" if by_room else f"{i % 90 + 1} STREET")
            ct["full_name"].append(f"MR {FIRST[rng.integers(0, 200)]} {SURNAMES[rng.integers(0, 400)]}")
            ct["start_date"].append(_uk(_day(s)))
            ct["end_date"].append(_uk(_day(end)) if end is not None else "")
            ct["band"].append("CD"[int(house[i])])
            ct["spd"].append("Y" if rng.random() < (0.5 if is_hmo[i] else 0.3) else "N")
            ct["exemption"].append("")
    engine.write("raw.council_tax", pa.table(ct))

    # Complaints: HMOs by visibility; ward 0 complains about everything three times as much.
    comp: dict[str, list] = {k: [] for k in ("record_id", "uprn", "event_date", "event_type")}
    rate = (0.08 + np.where(is_hmo, 0.5 * visibility, 0.0) + 0.25 * sharers) * np.where(ward == 0, 3.0, 1.0)
    for i in range(n):
        for c in range(rng.poisson(rate[i] * 3)):
            kind = rng.choice(["Noise", "Refuse", "Overcrowding", "Disrepair"],
                              p=[.4, .3, .15, .15] if is_hmo[i] else [.5, .35, .02, .13])
            comp["record_id"].append(f"EH{i}-{c}")
            comp["uprn"].append(uprn[i])
            comp["event_date"].append(_day(rng.integers(0, window)).isoformat())
            comp["event_type"].append(kind)
    engine.write("raw.env_health_requests", pa.table(comp))

    lic = np.flatnonzero(licensed)
    engine.write("raw.hmo_licences", pa.table({
        "record_id": [f"L{i}" for i in lic], "uprn": uprn[lic].tolist(),
        "start_date": [_uk(_day(rng.integers(-300, 600))) for _ in lic], "end_date": [""] * len(lic),
    }))

    epc = np.flatnonzero(rng.random(n) < 0.6)
    engine.write("raw.epc", pa.table({
        "record_id": [f"E{i}" for i in epc], "uprn": uprn[epc].tolist(),
        "event_date": [_day(rng.integers(-500, window)).isoformat() for _ in epc],
        "tenure": ["Rented (private)" if (is_hmo[i] or rng.random() < 0.3) else "Owner-occupied" for i in epc],
        "total_floor_area": [str(round(60 + 40 * house[i] + 30 * is_hmo[i] + rng.normal(0, 15))) for i in epc],
    }))

    # Housing benefit: HMO tenants claim the shared accommodation rate.
    hb: dict[str, list] = {k: [] for k in ("record_id", "uprn", "first_name", "surname", "start_date", "end_date",
                                           "lha_category")}
    for i in range(n):
        claims = rng.binomial(4, 0.25 * visibility[i]) if is_hmo[i] else int(rng.random() < 0.12)
        for c in range(claims):
            start = int(rng.integers(-300, window))
            hb["record_id"].append(f"HB{i}-{c}")
            hb["uprn"].append(uprn[i])
            hb["first_name"].append(FIRST[rng.integers(0, 200)])
            hb["surname"].append(SURNAMES[rng.integers(0, 400)])
            hb["start_date"].append(_day(start).isoformat())
            hb["end_date"].append(_day(start + int(rng.integers(100, 900))).isoformat())
            hb["lha_category"].append("SAR" if is_hmo[i] or rng.random() < 0.1 else "2 Bed")
    engine.write("raw.housing_benefit", pa.table(hb))

    # Inspections follow complaints; a few are proactive. Outcome is the truth, or "No access".
    complained = np.zeros(n)
    np.add.at(complained, np.searchsorted(uprn, np.array(comp["uprn"])), 1)
    p_inspect = np.clip(0.02 + 0.25 * complained, 0, 0.9)
    insp = np.flatnonzero(rng.random(n) < p_inspect)
    outcome = np.where(rng.random(len(insp)) < 0.15, "No access",
                       np.where(is_hmo[insp], "HMO confirmed", "Not HMO"))
    engine.write("raw.inspections", pa.table({
        "record_id": [f"I{i}" for i in insp], "uprn": uprn[insp].tolist(),
        "event_date": [_uk(_day(rng.integers(0, window))) for _ in insp], "outcome": outcome.tolist(),
    }))
    truth = pa.table({"uprn": uprn, "is_hmo": is_hmo, "hmo_licensed": licensed,
                      "ward": [f"Ward {w}" for w in ward]})
    return Borough(truth=truth, as_of=AS_OF)


CHARTER = """
[charter]
title = "Find unlicensed HMOs"
problem = "Unlicensed HMOs put tenants at risk."
decision = "Which properties officers visit next."
intervention = "An inspection visit."
owner = "Head of Private Sector Housing"
information_product = "A weekly worklist."
outcome_measure = "Share of visits finding an unlicensed HMO."

[charter.governance]
agreement_in_place = true
dpia_done = true
dpia_reference = "DPIA-1"
reviewed_by = "DPO"
"""


def write_project(folder, *, charter: bool = True, extra: str = "") -> "object":
    """An `oda.toml` in ``folder`` whose DuckDB file is ``folder/.oda/oda.duckdb``; returns the loaded project."""
    from pathlib import Path

    from oda.project.load import load_project

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    text = 'name = "small_borough"\n' + (CHARTER if charter else "") + f"""
[organisations.council]
name = "Small Borough Council"
kind = "council"
contact = "oda@example.gov.uk"

[agreements.internal]
title = "Internal protocol"
parties = ["council"]
purposes = ["hmo_licensing"]
lawful_basis = "public_task"
retention_days = 730

[features]
as_of = "{AS_OF.isoformat()}"

[worklist]
capacity = 60
exploration_share = 0.1
{extra}
"""
    (folder / "oda.toml").write_text(text, encoding="utf-8")
    return load_project(folder, check_files=False)
