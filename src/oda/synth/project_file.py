"""The generated borough's ``oda.toml`` (an HMO project ready to run) and its data dictionary.

Both are written from the same source declarations (:mod:`oda.synth.sources.catalog`) that wrote
the files, so a column can never be documented or mapped differently from how it was written.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import tomli_w

from oda.synth.config import SynthConfig
from oda.synth.geography import WARD_BOUNDARIES_FILE
from oda.synth.sources.base import SourceSpec
from oda.synth.sources.catalog import SOURCES

PURPOSE = "hmo_licensing"
GAZETTEER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("uprn", "Unique Property Reference Number"), ("parent_uprn", "UPRN of the parent building, for flats and units"),
    ("usrn", "Unique Street Reference Number"), ("sao_text", "Secondary addressable object, e.g. FLAT 2"),
    ("pao_start_number", "Building number"), ("pao_start_suffix", "Number suffix, e.g. A in 12A"),
    ("pao_end_number", "End of a number range, e.g. 16 in 14-16"), ("pao_text", "Building name"),
    ("street", "Street name"), ("locality", "Locality"), ("town", "Post town"), ("postcode", "Postcode"),
    ("classification", "AddressBase classification: RD02-RD06 dwellings, PP parent shell, CR/CO/CI commercial"),
    ("lat", "WGS84 latitude"), ("lon", "WGS84 longitude"), ("ward", "Ward name"), ("ward_code", "Ward code"),
    ("lsoa", "LSOA name"), ("lsoa_code", "LSOA code"),
    ("imd_decile", "Index of Multiple Deprivation decile of the LSOA (1 = most deprived)"),
    ("single_line_address", "AddressBase-style single-line address"),
)
TRUTH_FILES: tuple[tuple[str, str], ...] = (
    ("record_uprn.parquet", "source, record_id, uprn (null when the record is not about an addressable property "
                            "in the borough), errors (the errors deliberately applied to that record, ';'-separated)"),
    ("record_person.parquet", "source, record_id, person_id: every person a record names"),
    ("record_business.parquet", "source, record_id, business_id: every business a record is about"),
    ("properties.parquet", "one row per dwelling: tenure, HMO status (is_hmo, hmo_licensed, hmo_rooms, hmo_since, "
                           "hmo_visibility), student let, large family, council tax billing, bedrooms, floor area, "
                           "occupants and households at the window end, landlord"),
    ("people.parquet", "every person: names, sex, date of birth, origin of name, resident or not"),
    ("residences.parquet", "who lived where and when: person_id, uprn, household_id, household_kind, role, dates"),
    ("businesses.parquet", "every business: trading and legal names, kind, company number, site"),
    ("directors.parquet", "directors and proprietors: business_id, person_id, appointed"),
    ("landlords.parquet", "landlords of private lets: landlord_id, person_id or business_id, HMO portfolio flag"),
)

#: What the sources' records say about the people and businesses they name (oda.project.models.SourceEntities):
#: whose name column holds a person or a company row by row, a second (joint) person, and which dates
#: are when the person lived at the address (a liability, a claim; a register year). A licence's
#: dates and a company officer's appointment are not: the holder or officer need not live there.
ENTITY_MAPPINGS: dict[str, dict[str, str | bool]] = {
    "council_tax": {"kind_attribute": "Liable Type", "joint_name_attribute": "Joint Liable Name",
                    "residence_dates": True},
    "electoral_register": {"residence_year_attribute": "Register Year"},
    "housing_benefit": {"residence_dates": True},
}


def project_toml(config: SynthConfig) -> str:
    """The text of a valid ``oda.toml`` for the borough's HMO project."""
    organisations = {
        "council": {"name": f"London Borough of {config.borough}", "kind": "council", "contact": "oda@example.gov.uk"},
        "police": {"name": "Metropolitan Police Service (synthetic)", "kind": "police"},
        "fire": {"name": "Fire and Rescue Service (synthetic)", "kind": "fire"},
        "dluhc": {"name": "Energy Performance Certificate register", "kind": "government"},
        "companies_house": {"name": "Companies House", "kind": "regulator"},
    }
    agreements = {
        "council_internal": {"title": "Council internal data sharing protocol", "parties": ["council"],
                             "purposes": [PURPOSE, "housing_enforcement"], "lawful_basis": "public_task",
                             "retention_days": 730, "reference": "ISP-001"},
        "police_sharing": {"title": "Crime and Disorder Act 1998 s115 information sharing agreement",
                           "parties": ["council", "police"], "purposes": [PURPOSE], "lawful_basis": "public_task",
                           "retention_days": 365, "reference": "ISA-POL-7"},
        "fire_sharing": {"title": "Fire safety and vulnerable households data sharing agreement",
                         "parties": ["council", "fire"], "purposes": [PURPOSE], "lawful_basis": "public_task",
                         "retention_days": 365, "reference": "ISA-FRS-3"},
        "open_data": {"title": "Open Government Licence data", "parties": ["council", "dluhc", "companies_house"],
                      "purposes": [PURPOSE, "any"], "lawful_basis": "public_task", "retention_days": 1825},
    }
    sources = {"gazetteer": {
        "organisation": "council", "agreement": "council_internal", "describes": "property",
        "description": "Local Land and Property Gazetteer (AddressBase style)", "path": "gazetteer.parquet",
        "columns": {"record_id": "uprn", "uprn": "uprn", "address": "single_line_address", "postcode": "postcode"},
        "attributes": [c for c, _ in GAZETTEER_COLUMNS if c not in ("uprn", "single_line_address", "postcode")],
    }}
    for spec in SOURCES:
        sources[spec.name] = _source_entry(spec)
    document = {
        "name": f"{config.borough.lower()}_hmo",
        "purpose": PURPOSE,
        "charter": {
            "title": f"Find unlicensed houses in multiple occupation in {config.borough}",
            "problem": "Unlicensed HMOs put tenants at risk of fire, overcrowding and disrepair; only a minority "
                       "are licensed and inspectors find the rest mostly by reacting to complaints.",
            "decision": "Which properties private sector housing officers visit next.",
            "intervention": "A targeted inspection visit, then licensing or enforcement where an HMO is found.",
            "owner": "Head of Private Sector Housing",
            "information_product": "A weekly prioritised, explained worklist of properties to inspect, by ward.",
            "outcome_measure": "Share of inspection visits that find an unlicensed HMO, against the complaint-led "
                               "baseline, measured on a random exploration slice.",
            "governance": {"agreement_in_place": True, "dpia_done": True, "dpia_reference": "DPIA-HMO-SYNTH",
                           "reviewed_by": "Data Protection Officer"},
        },
        "organisations": organisations,
        "agreements": agreements,
        "sources": sources,
        "features": {"as_of": config.window_end.isoformat()},
        "worklist": {"capacity": max(10, round(config.properties * 0.02)), "exploration_share": 0.1},
        "reference": {"ward_boundaries": WARD_BOUNDARIES_FILE},
    }
    return (f"# Synthetic borough {config.borough}: {config.properties:,} dwellings, seed {config.seed}.\n"
            f"# Generated by `oda synth`; the truth/ folder is never read by the pipeline.\n\n"
            + tomli_w.dumps(document))


def _source_entry(spec: SourceSpec) -> dict:
    entry: dict = {"organisation": spec.organisation, "agreement": spec.agreement, "describes": spec.describes,
                   "description": spec.title, "path": spec.filename}
    if spec.sheet:
        entry["sheet"] = spec.sheet
    if spec.encoding != "utf-8":
        entry["encoding"] = spec.encoding
    if spec.delimiter != ",":
        entry["delimiter"] = spec.delimiter
    entry["columns"] = {c.standard: c.header for c in spec.columns if c.standard}
    entry["attributes"] = [c.header for c in spec.columns if not c.standard]
    if spec.date_formats:
        entry["date_formats"] = list(spec.date_formats)
    if spec.name in ENTITY_MAPPINGS:
        entry["entities"] = dict(ENTITY_MAPPINGS[spec.name])
    return entry


def data_dictionary(config: SynthConfig) -> str:
    """Markdown describing the folder, every source and column, the error profiles and the truth."""
    out = [f"# Synthetic borough of {config.borough}: data dictionary", "",
           f"{config.properties:,} dwellings, seed {config.seed}, window {config.window_start} to {config.window_end}, "
           f"centre {config.centre[0]}, {config.centre[1]}. Every name, address and record here is invented.", "",
           "## Layout", "",
           "- `gazetteer.parquet`, `gazetteer.csv`: the council's LLPG (every addressable unit with a UPRN).",
           "- `sources/`: one extract per system, in that system's format, encoding and habits.",
           "- `truth/`: what really happened. **The pipeline never reads this folder**; tests and evaluations do.",
           "- `reference/ward_boundaries.geojson`: the wards' polygons (properties `ward_code`, `ward_name`), as an "
           "ONS ward boundary file would give them; they tile the borough and every address lies in its own ward.",
           "- `oda.toml`: a ready-to-run HMO project; `summary.json`: counts and realised error rates.", "",
           "## Gazetteer", "", "| column | meaning |", "|---|---|"]
    out += [f"| `{c}` | {m} |" for c, m in GAZETTEER_COLUMNS]
    out += ["", "`gazetteer.csv` holds `uprn`, `address` (the single-line address) and `postcode`.", ""]
    rate_names = [f.name for f in fields(config.profile("council_tax"))]
    for spec in SOURCES:
        encoding = {"utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252", "utf-8": "UTF-8"}[spec.encoding]
        fmt = {"csv": f"CSV, {encoding}, delimiter `{spec.delimiter}`", "xlsx": f"Excel, sheet `{spec.sheet}`",
               "parquet": "Parquet"}[spec.fmt]
        out += [f"## `{spec.name}`: {spec.title}", "", f"File `{spec.filename}` ({fmt}); from `{spec.organisation}` under "
                f"agreement `{spec.agreement}`; each row describes a {spec.describes}.", "", spec.notes, "",
                "| column | oda field | type | meaning |", "|---|---|---|---|"]
        out += [f"| `{c.header}` | {c.standard or ''} | {c.kind} | {c.meaning} |" for c in spec.columns]
        profile = config.profile(spec.name)
        out += ["", "Error rates (per record): " + ", ".join(f"{name} {getattr(profile, name):.3g}"
                                                        for name in rate_names), ""]
    out += ["## How the truth shapes the signals", "",
            "About 4.5% of dwellings are HMOs (mostly large terraced houses, converted houses and flats over "
            "shops), 15% of them licensed, mostly the larger ones. Each HMO has a hidden *visibility* between 0 and "
            "1: loud HMOs leave traces in many systems (tenants on the electoral register, council tax churn, "
            "refuse, noise and overcrowding complaints, private-rented EPCs, C4 planning applications, fire "
            "incidents, shared-rate benefit claims); quiet ones almost none. Confounders leave the same traces: "
            "student lets (council tax class N, many young unrelated people), large extended families "
            "(overcrowding), social housing (disrepair, benefit), temporary accommodation (fast churn of families "
            "on benefit), owner-occupiers with lodgers (unrelated young adults) and flats over shops (commercial "
            "refuse). A fifth of an HMO's complaints are logged against the house next door. Inspections follow "
            "complaints about private homes, so the labelled set is biased towards loud HMOs; no single signal "
            "reaches 50% precision among the top 2% of dwellings.", "",
            "Flat-notation and building-name errors only apply to addresses that have a flat or a building name, "
            "so their realised share of all records is below the configured rate.", ""]
    out += ["## Truth (`truth/`)", "", "| file | contents |", "|---|---|"]
    out += [f"| `{name}` | {text} |" for name, text in TRUTH_FILES]
    out += ["", "Record ids in the truth equal the record id column of each extract, as text. Errors named in "
            "`record_uprn.errors`: " + ", ".join(n for n in rate_names if n not in ("name_variant", "uprn_present"))
            + ", name_* (nickname, initial, spelling, swapped, married, no_middle), stale_entry (an elector who had "
            "moved out), not_an_address.", ""]
    return "\n".join(out)


def write_project_files(root: Path, config: SynthConfig) -> None:
    (root / "oda.toml").write_text(project_toml(config), encoding="utf-8")
    (root / "DATA_DICTIONARY.md").write_text(data_dictionary(config), encoding="utf-8")
