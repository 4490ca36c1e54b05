"""Errors land near their configured rates, measured against the truth, and can be switched off."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from oda.errors import SynthError
from oda.synth import ERROR_PROFILES, SynthConfig, generate_borough
from tests.synth.readers import read_source, read_truth


def _with_truth_postcode(root, name, id_column):
    links = read_truth(root, "record_uprn")
    gaz = pq.read_table(root / "gazetteer.parquet", columns=["uprn", "postcode"]).to_pandas()
    rows = read_source(root, name).merge(links[links.source == name], left_on=id_column, right_on="record_id")
    return rows.merge(gaz.rename(columns={"postcode": "true_postcode"}), on="uprn")


@pytest.mark.parametrize("name,id_column,postcode_column", [
    ("council_tax", "Account Ref", "Post Code"), ("electoral_register", "Elector Ref", "Postcode"),
    ("epc", "LMK_KEY", "POSTCODE"),
])
def test_postcode_errors_match_their_settings(borough, name, id_column, postcode_column):
    root, _ = borough
    profile = ERROR_PROFILES[name]
    rows = _with_truth_postcode(root, name, id_column)
    typed = rows[postcode_column].str.upper().str.replace(" ", "", regex=False)
    missing = (typed == "").mean()
    wrong = ((typed != "") & (typed != rows.true_postcode.str.replace(" ", "", regex=False))).mean()
    assert missing == pytest.approx(profile.postcode_missing, abs=0.01 + profile.postcode_missing * 0.5)
    assert wrong == pytest.approx(profile.postcode_wrong * (1 - profile.postcode_missing),
                                  abs=0.01 + profile.postcode_wrong * 0.5)


@pytest.mark.parametrize("name", ["council_tax", "epc", "env_health_requests", "police_asb"])
def test_recorded_error_rates_match_settings(borough, name):
    root, _ = borough
    profile = ERROR_PROFILES[name]
    links = read_truth(root, "record_uprn")
    errors = links[(links.source == name) & links.uprn.notna()].errors.str.split(";")
    share = {kind: errors.apply(lambda e, k=kind: k in e).mean() for kind in ("typo", "locality_missing", "punctuation")}
    for kind, value in share.items():
        setting = getattr(profile, kind)
        assert value == pytest.approx(setting, abs=0.02 + setting * 0.25), kind
    duplicates = links[links.source == name].errors.str.contains("duplicate").mean()
    assert duplicates == pytest.approx(profile.duplicate / (1 + profile.duplicate), abs=0.01 + profile.duplicate * 0.5)


def test_typed_addresses_differ_from_the_gazetteer_in_the_ways_recorded(borough):
    root, _ = borough
    rows = _with_truth_postcode(root, "council_tax", "Account Ref")
    abbreviated = rows.errors.str.contains("abbreviation")
    lines = rows.Addr1 + " " + rows.Addr2 + " " + rows.Addr3
    assert lines[abbreviated].str.contains(r"\b(?:RD|ST|AVE|GDNS|CL|PL|TERR|GR|LN|CRES|SQ|MWS)\b").mean() > 0.95
    assert not lines[~abbreviated].str.contains(r"\b(?:RD|AVE|GDNS)\b").any()


def test_zero_error_rate_gives_clean_extracts(tmp_path):
    generate_borough(tmp_path, properties=300, seed=5, error_scale=0)
    links = read_truth(tmp_path, "record_uprn")
    addressed = links[links.uprn.notna()]
    assert (addressed.errors.str.replace("stale_entry", "").str.strip(";") == "").all()
    rows = _with_truth_postcode(tmp_path, "council_tax", "Account Ref")
    assert (rows["Post Code"] == rows.true_postcode).all()


def test_impossible_settings_say_what_to_do(tmp_path):
    with pytest.raises(SynthError, match="--properties must be between 100"):
        SynthConfig(properties=5)
    with pytest.raises(SynthError, match="outside Great Britain"):
        SynthConfig(centre=(40.7, -74.0))
    with pytest.raises(SynthError, match="no source called nope"):
        SynthConfig(overrides=(("nope", ERROR_PROFILES["epc"]),))
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(SynthError, match="not empty and was not made by `oda synth`"):
        generate_borough(tmp_path, properties=200)
