"""Same seed, same bytes; a different seed, a different borough; sources have independent streams."""

from __future__ import annotations

import hashlib
from pathlib import Path

from oda.cli.main import main
from oda.synth import ERROR_PROFILES, generate_borough


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_files(tmp_path):
    first = generate_borough(tmp_path / "a", properties=400, seed=3)
    second = generate_borough(tmp_path / "b", properties=400, seed=3)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a == b
    assert any(name.endswith(".xlsx") for name in a) and any(name.endswith(".parquet") for name in a)
    assert first.to_json() == second.to_json()


def test_different_seed_gives_a_different_borough(tmp_path):
    generate_borough(tmp_path / "a", properties=400, seed=3)
    generate_borough(tmp_path / "b", properties=400, seed=4)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a["gazetteer.parquet"] != b["gazetteer.parquet"]


def test_changing_one_source_leaves_the_others_alone(tmp_path):
    generate_borough(tmp_path / "a", properties=400, seed=3)
    generate_borough(tmp_path / "b", properties=400, seed=3,
                     overrides={"police_asb": ERROR_PROFILES["police_asb"].scaled(3.0)})
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a["sources/police_asb.csv"] != b["sources/police_asb.csv"]
    for name in ("gazetteer.parquet", "sources/council_tax.csv", "sources/epc.csv", "truth/properties.parquet",
                 "truth/people.parquet"):
        assert a[name] == b[name], name


def test_regenerating_into_the_same_folder_overwrites_it(tmp_path):
    generate_borough(tmp_path, properties=300, seed=1)
    before = _digests(tmp_path)
    generate_borough(tmp_path, properties=300, seed=1)
    assert _digests(tmp_path) == before


def test_cli_writes_a_borough_and_prints_a_summary(tmp_path, capsys):
    code = main(["synth", "--properties", "300", "--seed", "2", "--out", str(tmp_path / "b"),
                 "--error-rate", "0.5", "--centre", "53.48,-2.24", "--source-error", "epc=2"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "HMOs:" in printed and "council_tax" in printed and "Inspections after complaints" in printed
    assert (tmp_path / "b" / "oda.toml").is_file()


def test_cli_explains_bad_options(tmp_path, capsys):
    assert main(["synth", "--out", str(tmp_path), "--centre", "north"]) == 1
    assert "write it like --centre 51.545,-0.055" in capsys.readouterr().err
    assert main(["synth", "--out", str(tmp_path), "--source-error", "parish_records=2"]) == 1
    assert "no source called `parish_records`" in capsys.readouterr().err
