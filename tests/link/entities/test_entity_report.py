"""Quality report, single views and the `oda resolve` command."""

import pyarrow.parquet as pq
import pyarrow.csv as pv
import typer
from typer.testing import CliRunner

from oda.cli.resolve_commands import register
from oda.link.entities.quality import quality_report, report_markdown
from oda.link.entities.views import entity_table, entity_view

from .febrl_cases import FEBRL_FIELDS, febrl4_subset, truth_of


def test_quality_report_with_truth(subset_tables, subset_resolution):
    report = quality_report(subset_resolution, truth_of(subset_tables), cross_source_only=True)
    assert report["records"] == sum(t.num_rows for t in subset_tables.values())
    assert report["cluster_sizes"][2] >= 1500
    assert sum(b["pairs"] for b in report["match_weight_histogram"]) == subset_resolution.pairs.num_rows
    assert report["accuracy"]["clusters"]["f1"] >= 0.99
    text = report_markdown(report)
    assert "## Suspected over-links" in text and "| clusters |" in text


def test_single_views(subset_resolution):
    table = entity_table(subset_resolution)
    assert table.num_rows == len(set(subset_resolution.clusters["cluster_id"].to_pylist()))
    row = next(r for r in table.to_pylist() if r["surname"] == "quennell")
    assert row["sources"] == ["a", "b"] and row["first_name_all"] == ["bob", "robert"]
    view = entity_view(subset_resolution, row["cluster_id"])
    assert set(view["by_source"]) == {"a", "b"}


def _app():
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root():
        pass

    return app


def test_resolve_command_writes_clusters_and_pairs(tmp_path):
    tables = febrl4_subset(300)
    paths = []
    for name, table in tables.items():
        path = tmp_path / f"{name}_extract.csv"
        pv.write_csv(table.drop_columns(["truth"]), path)
        paths.append(str(path))
    out, pairs = tmp_path / "out.parquet", tmp_path / "pairs.csv"
    args = ["resolve", *paths, "--entity", "person", "--out", str(out), "--pairs", str(pairs), "--link-type", "link_only"]
    for f in FEBRL_FIELDS:
        args += ["--field", f]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    clusters = pq.read_table(out)
    assert clusters.column_names == ["source", "unique_id", "cluster_id"]
    assert set(clusters["source"].to_pylist()) == {"a_extract", "b_extract"}
    assert len(set(clusters["cluster_id"].to_pylist())) <= 305
    linked = pv.read_csv(pairs)
    assert linked.column_names[:5] == ["source_l", "unique_id_l", "source_r", "unique_id_r", "match_probability"]
    assert linked.num_rows >= 295


def test_resolve_command_explains_bad_options(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("unique_id,surname\n1,smith\n")
    result = CliRunner().invoke(_app(), ["resolve", str(path), "--entity", "person", "--out", str(tmp_path / "o.csv"),
                                         "--field", "colour=shade"])
    assert result.exit_code != 0
    assert "--field `colour=shade` is not NAME=KIND" in str(result.exception)
    result = CliRunner().invoke(_app(), ["resolve", str(path), "--entity", "animal", "--out", str(tmp_path / "o.csv")])
    assert "--entity `animal` is not one of person, business" in str(result.exception)
