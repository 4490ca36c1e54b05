"""The borough folder: every declared file, in its declared format, and a project oda accepts."""

from __future__ import annotations

import pyarrow.parquet as pq

from oda.project import load_project
from oda.synth.sources.catalog import SOURCES
from tests.synth.readers import read_source


def test_every_file_is_written(borough):
    root, _ = borough
    for name in ("gazetteer.parquet", "gazetteer.csv", "oda.toml", "DATA_DICTIONARY.md", "summary.json"):
        assert (root / name).is_file(), name
    for spec in SOURCES:
        assert (root / spec.filename).is_file(), spec.filename
    for name in ("record_uprn", "record_person", "record_business", "properties", "people", "businesses",
                 "residences", "directors", "landlords"):
        assert (root / "truth" / f"{name}.parquet").is_file(), name


def test_formats_and_encodings_vary_like_councils(borough):
    root, _ = borough
    formats = [spec.fmt for spec in SOURCES]
    assert formats.count("csv") > len(formats) / 2 and formats.count("xlsx") >= 2 and formats.count("parquet") >= 2
    assert (root / "sources/electoral_register.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b";" in (root / "sources/env_health_requests.csv").read_bytes().split(b"\n")[0]
    council_tax = (root / "sources/council_tax.csv").read_bytes()
    council_tax.decode("cp1252")  # Windows-1252 text; a UTF-8 BOM would mean the wrong encoding.
    assert not council_tax.startswith(b"\xef\xbb\xbf")


def test_generated_project_validates_and_maps_real_headers(borough):
    root, _ = borough
    project = load_project(root)
    config = project.config
    assert config.purpose == "hmo_licensing" and not config.charter.missing()
    assert "gazetteer" in config.sources and config.link.gazetteer == "gazetteer"
    for name, source in config.sources.items():
        if name == "gazetteer":
            headers = set(pq.read_schema(root / source.path).names)
        else:
            headers = set(read_source(root, name).columns)
        mapped = set(source.columns.values()) | set(source.attributes)
        assert mapped <= headers, (name, mapped - headers)
        assert headers <= mapped, (name, headers - mapped)


def test_data_dictionary_documents_every_column(borough):
    root, _ = borough
    text = (root / "DATA_DICTIONARY.md").read_text()
    for spec in SOURCES:
        assert f"`{spec.name}`" in text
        for column in spec.columns:
            assert f"`{column.header}`" in text, (spec.name, column.header)


def test_gazetteer_looks_like_addressbase(borough):
    root, _ = borough
    gaz = pq.read_table(root / "gazetteer.parquet").to_pandas()
    assert gaz.uprn.is_unique
    parents = gaz.parent_uprn.dropna()
    assert parents.isin(gaz.uprn).all()
    assert gaz.postcode.str.fullmatch(r"[A-Z]{1,2}\d{1,2} \d[ABD-HJLNP-UW-Z]{2}").all()
    flats = gaz[gaz.classification == "RD06"]
    assert flats.parent_uprn.notna().all()
    assert {"RD02", "RD03", "RD04", "RD06", "PP"} <= set(gaz.classification)
    assert gaz.classification.str.startswith("C").any()
    assert gaz.sao_text.str.contains("FLAT").any() and (gaz.pao_start_suffix == "A").any()
    assert gaz.pao_end_number.notna().any() and gaz.pao_text.str.contains("HOUSE|COURT|LODGE|POINT|TOWER").any()
    assert abs(gaz.lat.mean() - 51.545) < 0.05 and abs(gaz.lon.mean() + 0.055) < 0.08
    # Neighbouring numbers on a street side are a few metres apart.
    houses = gaz[gaz.classification == "RD04"].sort_values(["street", "pao_start_number"])
    step = houses.groupby("street").lat.diff().abs().dropna()
    assert step.median() < 0.0005
    # Postcodes cover roughly fifteen addresses each.
    per_postcode = gaz[gaz.classification != "PP"].groupby("postcode").size()
    assert 5 < per_postcode.median() < 40
