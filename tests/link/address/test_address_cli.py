"""`oda match-addresses` end to end, through the real CLI entry point and real files."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from oda.cli.main import main


def test_match_addresses_csv_in_parquet_out(gazetteer, tmp_path, capsys):
    pacsv.write_csv(gazetteer.select(["uprn", "address", "postcode"]), tmp_path / "gaz.csv")
    pacsv.write_csv(pa.table({"id": ["a", "b", "c"],
                              "address": ["Flat 2, 12 Oak Rd", "14 Oka Road", "7 Nonesuch Boulevard"],
                              "postcode": ["E15 1AA", "", ""]}), tmp_path / "in.csv")
    code = main(["match-addresses", str(tmp_path / "gaz.csv"), str(tmp_path / "in.csv"),
                 "--out", str(tmp_path / "out.parquet")])
    assert code == 0
    out = pq.read_table(tmp_path / "out.parquet")
    assert {"id", "uprn", "score", "tier"} <= set(out.column_names)
    assert out.column("id").to_pylist() == ["a", "b", "c"]
    assert out.column("uprn").to_pylist() == [1003, 1005, None]
    assert all(0.0 <= s <= 1.0 for s in out.column("score").to_pylist() if s is not None)
    assert "matched 2/3" in capsys.readouterr().out


def test_match_addresses_parquet_in_csv_out_with_remembered_decisions(gazetteer, tmp_path):
    pq.write_table(gazetteer, tmp_path / "gaz.parquet")
    pq.write_table(pa.table({"id": [1], "address": ["12 High Street, London"]}), tmp_path / "in.parquet")
    pacsv.write_csv(pa.table({"address": ["12 high st london"], "decision": ["choose"], "uprn": ["1012"]}),
                    tmp_path / "decisions.csv")
    code = main(["match-addresses", str(tmp_path / "gaz.parquet"), str(tmp_path / "in.parquet"),
                 "--out", str(tmp_path / "out.csv"), "--decisions", str(tmp_path / "decisions.csv")])
    assert code == 0
    row = pacsv.read_csv(tmp_path / "out.csv").to_pylist()[0]
    assert (row["uprn"], row["tier"]) == (1012, "confident")


def test_a_missing_file_is_a_clear_error(tmp_path, capsys):
    code = main(["match-addresses", str(tmp_path / "nope.csv"), str(tmp_path / "in.csv"), "--out",
                 str(tmp_path / "o.csv")])
    assert code == 1
    assert "gazetteer file" in capsys.readouterr().err


def test_the_review_worksheet_round_trip(gazetteer, tmp_path):
    pq.write_table(gazetteer, tmp_path / "gaz.parquet")
    pacsv.write_csv(pa.table({"id": ["x", "y"], "address": ["12 High Street, London", "12 HIGH ST LONDON"]}),
                    tmp_path / "in.csv")
    args = ["match-addresses", str(tmp_path / "gaz.parquet"), str(tmp_path / "in.csv")]
    assert main(args + ["--out", str(tmp_path / "first.csv"), "--review", str(tmp_path / "review.csv")]) == 0
    sheet = pacsv.read_csv(tmp_path / "review.csv", convert_options=pacsv.ConvertOptions(
        column_types={"decision": pa.string(), "uprn": pa.string()}, strings_can_be_null=False)).to_pylist()
    assert len(sheet) == 1  # one row per distinct address, however often it was typed
    assert {sheet[0]["suggested_uprn"], sheet[0]["runner_up_uprn"]} == {1012, 1013}
    sheet[0].update(decision="choose", uprn="1013")
    pacsv.write_csv(pa.Table.from_pylist(sheet), tmp_path / "review.csv")
    assert main(args + ["--out", str(tmp_path / "second.csv"), "--decisions", str(tmp_path / "review.csv")]) == 0
    rows = pacsv.read_csv(tmp_path / "second.csv").to_pylist()
    assert [(r["uprn"], r["tier"]) for r in rows] == [(1013, "confident"), (1013, "confident")]
