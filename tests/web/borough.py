"""A small borough for the web tests and the web benchmark: an oda.toml, a DuckDB file holding the
datasets the app reads, with exactly the catalogue's columns, and a ward boundary file."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from oda.datasets import ADDRESS_MATCHES, BUSINESS_CLUSTERS, PERSON_CLUSTERS, PROPERTY_SCORES, RUNS, WORKLIST

PROJECT_TOML = """
name = "Test borough HMOs"
purpose = "hmo_licensing"

[charter]
title = "Finding unlicensed HMOs"
problem = "Unlicensed HMOs put tenants at risk"
decision = "Inspect the highest-risk properties first"
intervention = "Private-sector housing inspections"
owner = "Private Sector Housing team"
information_product = "A weekly prioritised worklist"
outcome_measure = "Share of inspections finding an unlicensed HMO"

[organisations.council]
name = "Testford Borough Council"
kind = "council"

[organisations.fire]
name = "Testshire Fire and Rescue Service"
kind = "fire"

[agreements.internal]
title = "Council internal data-sharing protocol"
parties = ["council"]
purposes = ["hmo_licensing"]
lawful_basis = "public_task"
retention_days = 730

[agreements.fire_council]
title = "Fire and council information-sharing agreement"
parties = ["council", "fire"]
purposes = ["hmo_licensing", "fire_safety"]
lawful_basis = "public_task"
retention_days = 365
"""

WARDS = ("Northgate", "Riverside", "St Anne's")
REFERENCE_TOML = """
[reference]
ward_boundaries = "reference/wards.geojson"
"""


def ward_squares() -> dict:
    """Ward boundaries as the project's reference file holds them: ward i is the square of side 0.01°
    whose south-west corner is (51.50 + 0.01 i, -0.10 + 0.01 i), which holds all of its addresses."""
    features = []
    for i, ward in enumerate(WARDS):
        south, west = 51.50 + 0.01 * i, -0.10 + 0.01 * i
        ring = [[west, south], [west + 0.01, south], [west + 0.01, south + 0.01], [west, south + 0.01], [west, south]]
        features.append({"type": "Feature", "properties": {"ward_code": f"E0500000{i}", "ward_name": ward},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}
BANDS = ("very high", "high", "medium", "low")


def build_borough(root: Path, *, properties: int = 40, per_organisation: int = 12, seed: int = 7) -> dict:
    """Write ``root/oda.toml`` and ``root/.oda/oda.duckdb``; return the UPRNs on each organisation's worklist."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "oda.toml").write_text(PROJECT_TOML + REFERENCE_TOML, encoding="utf-8")
    (root / "reference").mkdir(exist_ok=True)
    (root / "reference" / "wards.geojson").write_text(json.dumps(ward_squares()), encoding="utf-8")
    (root / "evaluation.html").write_text("<!DOCTYPE html><html lang=en><title>Evaluation</title>"
                                          "<style>body{font-family:sans-serif}</style><h1>Evaluation</h1></html>",
                                          encoding="utf-8")
    (root / ".oda").mkdir(exist_ok=True)
    gazetteer = []
    for i in range(properties):
        ward = WARDS[i % len(WARDS)]
        base_lat, base_lon = 51.50 + 0.01 * (i % len(WARDS)), -0.10 + 0.01 * (i % len(WARDS))
        gazetteer.append({"uprn": str(100000 + i), "address": f"{i + 1} Test Street, Testford",
                          "postcode": f"TF{1 + i % 3} {i % 9}AB", "ward": ward,
                          "lat": base_lat + rng.uniform(0, 0.008), "lon": base_lon + rng.uniform(0, 0.008),
                          "classification": "RD04", "parent_uprn": None})
    council = [g["uprn"] for g in gazetteer[:per_organisation]]
    fire = [g["uprn"] for g in gazetteer[per_organisation:2 * per_organisation]]
    con = duckdb.connect(str(root / ".oda" / "oda.duckdb"))
    for schema in ("stg", "link", "score", "out", "meta"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    _table(con, "stg.gazetteer", ("uprn", "address", "postcode", "ward", "lat", "lon", "classification",
                                  "parent_uprn"),
           "VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, DOUBLE, VARCHAR, VARCHAR",
           [list(g.values()) for g in gazetteer])
    matches, people, businesses = [], [], []
    council_tax, fire_incidents, companies = [], [], []
    for n, g in enumerate(gazetteer):
        for k in range(2):
            rid = f"CT{n:04d}{k}"
            council_tax.append([rid, g["address"].upper(), g["postcode"], f"Resident{n}{k} Surname{n}",
                         f"19{70 + k}-0{1 + k}-15", f"07700 900{n:03d}", f"2024-0{1 + k}-01", "C"])
            matches.append(["council_tax", rid, g["uprn"], 0.99 if k == 0 else 0.86,
                            "exact" if k == 0 else "review",
                            g["uprn"] if k == 0 else str(100000 + (n + 1) % properties),
                            0.2, json.dumps(["postcode and number agree"]), False])
            people.append(["council_tax", rid, f"P{n}{k}"])
        fid = f"FI{n:04d}"
        fire_incidents.append([fid, g["address"], "2025-11-0%d" % (1 + n % 9), "Kitchen fire"])
        matches.append(["fire_incidents", fid, g["uprn"], 0.93, "confident", None, 0.5, json.dumps([]), False])
        if n % 4 == 0:
            bid = f"CO{n:04d}"
            companies.append([bid, g["address"], f"Lettings {n} Ltd", f"0{n:07d}"])
            matches.append(["companies", bid, g["uprn"], 0.97, "exact", None, 0.6, json.dumps([]), False])
            businesses.append(["companies", bid, f"B{n}"])
    _table(con, "stg.council_tax", ("record_id", "address", "postcode", "full_name", "date_of_birth", "phone",
                                    "start_date", "band"),
           "VARCHAR, VARCHAR, VARCHAR, VARCHAR, DATE, VARCHAR, DATE, VARCHAR", council_tax)
    _table(con, "stg.fire_incidents", ("record_id", "address", "event_date", "event_type"),
           "VARCHAR, VARCHAR, DATE, VARCHAR", fire_incidents)
    _table(con, "stg.companies", ("record_id", "address", "business_name", "company_number"),
           "VARCHAR, VARCHAR, VARCHAR, VARCHAR", companies)
    matches.append(["council_tax", "CTX", None, 0.1, "unmatched", None, None, json.dumps([]), False])
    _table(con, ADDRESS_MATCHES.name, ADDRESS_MATCHES.columns,
           "VARCHAR, VARCHAR, VARCHAR, DOUBLE, VARCHAR, VARCHAR, DOUBLE, VARCHAR, BOOLEAN", matches)
    _table(con, PERSON_CLUSTERS.name, PERSON_CLUSTERS.columns, "VARCHAR, VARCHAR, VARCHAR", people)
    _table(con, BUSINESS_CLUSTERS.name, BUSINESS_CLUSTERS.columns, "VARCHAR, VARCHAR, VARCHAR", businesses)
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    scores = []
    for n, g in enumerate(gazetteer):
        score = round(1 - n / properties, 3)
        scores.append([g["uprn"], score, score * 10, BANDS[min(3, n * 4 // properties)],
                       json.dumps([f"{2 + n % 5} adults on the electoral register", "Council tax single-person "
                                   "discount claimed"]), "gbm-test-1", now])
    _table(con, PROPERTY_SCORES.name, PROPERTY_SCORES.columns,
           "VARCHAR, DOUBLE, DOUBLE, VARCHAR, VARCHAR, VARCHAR, TIMESTAMPTZ", scores)
    worklist = []
    by_uprn = {g["uprn"]: (g, s) for g, s in zip(gazetteer, scores)}
    for organisation, uprns in (("council", council), ("fire", fire)):
        for rank, uprn in enumerate(uprns, start=1):
            g, s = by_uprn[uprn]
            worklist.append([f"{organisation}-2026-11", rank, uprn, g["address"], g["ward"], "Test Street", g["lat"],
                             g["lon"], s[1], s[3], s[4], rank % 5 == 0, organisation])
    _table(con, WORKLIST.name, WORKLIST.columns, "VARCHAR, INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, "
           "DOUBLE, DOUBLE, VARCHAR, VARCHAR, BOOLEAN, VARCHAR", worklist)
    _table(con, RUNS.name, RUNS.columns, "VARCHAR, VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ, VARCHAR, VARCHAR, VARCHAR",
           [["run-1", "score", now, now, "ok", "abc123", "0.1.0"]])
    con.close()
    return {"council": council, "fire": fire, "unlisted": [g["uprn"] for g in gazetteer[2 * per_organisation:]]}


def empty_project(root: Path) -> duckdb.DuckDBPyConnection:
    """A new project folder with the test oda.toml and an empty pipeline database; its open connection."""
    root.mkdir()
    (root / "oda.toml").write_text(PROJECT_TOML, encoding="utf-8")
    (root / ".oda").mkdir()
    con = duckdb.connect(str(root / ".oda" / "oda.duckdb"))
    for schema in ("stg", "link", "score", "out"):
        con.execute(f"CREATE SCHEMA {schema}")
    return con


def _table(con: duckdb.DuckDBPyConnection, name: str, columns: tuple[str, ...], types: str, rows: list) -> None:
    """Create ``name`` with these columns and types, loaded in one go through Arrow (row inserts are slow)."""
    declared = [t.strip() for t in types.split(",")]
    con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in zip(columns, declared))})")
    if not rows:
        return
    batch = pa.table({c: pa.array([_text(row[i]) for row in rows]) for i, c in enumerate(columns)})
    con.register("batch", batch)
    casts = ", ".join(f"CAST({c} AS {t})" for c, t in zip(columns, declared))
    con.execute(f"INSERT INTO {name} SELECT {casts} FROM batch")
    con.unregister("batch")


def _text(value):
    """Dates and timestamps travel as ISO text and are cast by DuckDB; everything else as is."""
    return value.isoformat() if isinstance(value, datetime) else value
