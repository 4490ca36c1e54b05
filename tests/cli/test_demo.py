"""`oda demo` runs the synthetic borough end to end, as the README's first command does."""

import json
import subprocess
import sys

from oda.datasets import (ADDRESS_MATCHES, BUSINESS_CLUSTERS, BUSINESS_CONCENTRATION, BUSINESS_PAIRS, BUSINESS_PROFILE,
                          ENTITY_MODELS, PERSON_ADDRESSES, PERSON_CLUSTERS, PERSON_PAIRS, PROPERTY_FEATURES,
                          PROPERTY_PEOPLE, PROPERTY_SCORES, RUNS, WORKLIST)
from oda.engine.duckdb_engine import DuckDBEngine


def test_demo_runs_every_stage_and_prints_the_headline(tmp_path):
    folder = tmp_path / "demo"
    result = subprocess.run([sys.executable, "-m", "oda.cli.main", "demo", "--properties", "2500", "--seed", "3",
                             "--dir", str(folder), "--no-serve"], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "ODA_DATABASE_URL": "", "HOME": str(tmp_path),
                                 "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout
    assert "Ran: ingest, standardise, link, resolve, score, worklist." in output
    for method in ("model", "rules", "complaints", "random"):
        assert f"│ {method}" in output
    assert "exploration slice:" in output and "true rate" in output
    assert "demo-password-123" in output and "fire.officer" in output
    assert (folder / "borough" / "evaluation.html").exists()
    report = json.loads((folder / "borough" / "evaluation.json").read_text())
    deciles = report["fairness"]["by_deprivation_decile"]
    assert deciles and sum(row["dwellings"] for row in deciles) == report["eligible"]
    engine = DuckDBEngine(folder / "borough" / ".oda" / "oda.duckdb")
    try:
        assert engine.count("score.property") == 2500
        assert engine.count("out.worklist") == 50  # 2% of dwellings, the synthetic borough's capacity
        assert engine.count("link.address_matches") > 20_000
        for dataset in (ADDRESS_MATCHES, PERSON_CLUSTERS, BUSINESS_CLUSTERS, PERSON_PAIRS, BUSINESS_PAIRS, ENTITY_MODELS,
                        PROPERTY_FEATURES, PROPERTY_SCORES, WORKLIST, PROPERTY_PEOPLE, PERSON_ADDRESSES,
                        BUSINESS_PROFILE, BUSINESS_CONCENTRATION, RUNS):
            written = engine.query(f"SELECT * FROM {dataset.name} LIMIT 0").schema.names
            assert set(dataset.columns) <= set(written), dataset.name
    finally:
        engine.close()
