"""`oda link` on a synthetic borough: every address-bearing source matched, measured against truth."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from oda.cli.main import main
from oda.link.address.stage import MATCHES, match_quality


@pytest.mark.slow
def test_oda_link_matches_every_source_of_a_synthetic_borough(tmp_path, capsys):
    from oda.engine import open_engine
    from oda.project.load import load_project
    from oda.synth import generate_borough

    borough = tmp_path / "borough"
    generate_borough(borough, properties=600, seed=3)
    assert main(["ingest", str(borough), "--quiet"]) == 0
    assert main(["link", str(borough), "--truth", str(borough / "truth" / "record_uprn.parquet")]) == 0
    assert "link.address_matches" in capsys.readouterr().out

    loaded = load_project(borough)
    with open_engine(loaded) as engine:
        assert engine.exists(MATCHES)
        quality = match_quality(engine, pq.read_table(borough / "truth" / "record_uprn.parquet")).to_pylist()
        columns = engine.query(f"SELECT * FROM {MATCHES} LIMIT 0").column_names
    assert {"source", "record_id", "uprn", "probability", "tier", "runner_up_uprn", "margin", "reasons",
            "matched_to_parent"} <= set(columns)
    by_source = {row["source"]: row for row in quality}
    assert "gazetteer" not in by_source
    assert {"council_tax", "electoral_register"} <= set(by_source)
    for row in quality:
        if row["records"] >= 200:
            assert row["precision"] >= 0.99, row
            assert row["recall"] >= 0.95, row
