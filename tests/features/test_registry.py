"""Adding a feature family is one small module; every family is documented."""

from __future__ import annotations

import pytest

from oda.cli.main import main
from oda.engine.duckdb_engine import DuckDBEngine
from oda.features.build import build_features
from oda.features.registry import FeatureColumn, FeatureFamily, describe, families, register
from oda.errors import FeatureError
from tests.score.small_borough import AS_OF, build


def _licence_holders(ctx):
    table = ctx.source("hmo_licences")
    if table is None:
        return None
    return (f"SELECT s._uprn AS uprn, count(*) AS licence_records FROM {table} s "
            f"WHERE s._uprn IS NOT NULL AND {ctx.known()} GROUP BY s._uprn")


PROBE = FeatureFamily(
    name="test_probe", sources=("hmo_licences",), description="A family declared by a test.",
    columns=(FeatureColumn("licence_records", "Licence records", "{value} licence records"),),
    build=_licence_holders,
)


def test_a_new_family_is_one_declaration():
    register(PROBE)
    with DuckDBEngine(None) as engine:
        build(engine, dwellings=200, seed=1)
        result = build_features(engine, as_of=AS_OF, families=["property", "test_probe"])
        table = engine.read("feat.property")
        assert "licence_records" in table.column_names and result.built == ("property", "test_probe")
        assert sum(table["licence_records"].to_pylist()) == engine.count("raw.hmo_licences")


def test_two_families_cannot_share_a_name():
    clash = FeatureFamily(name="electoral", sources=(), description="", columns=(), build=lambda ctx: None)
    with pytest.raises(FeatureError, match="two feature families are called `electoral`"):
        register(clash)


def test_every_family_and_column_appears_in_the_documentation(capsys):
    text = describe()
    for fam in families().values():
        assert f"## `{fam.name}`" in text
        for column in fam.columns:
            assert f"`{column.name}`" in text
    assert main(["features", "--list"]) == 0
    assert "## `electoral`" in capsys.readouterr().out


def test_reasons_read_correctly_for_a_count_of_one():
    from oda.features.registry import FeatureColumn

    surnames = FeatureColumn("distinct_surnames_12m", "Surnames", "{value} different surnames on the electoral register")
    people = FeatureColumn("liable_people_12m", "People", "{value} different people liable for council tax")
    companies = FeatureColumn("companies_at_address", "Companies", "{value} companies registered at the address")
    assert surnames.sentence(1.0) == "1 surname on the electoral register"
    assert surnames.sentence(6.0) == "6 different surnames on the electoral register"
    assert people.sentence(1.0) == "1 person liable for council tax"
    assert companies.sentence(1.0) == "1 company registered at the address"
