"""The feature SQL gives the same answer on DuckDB and on Spark."""

from __future__ import annotations

import pytest

from oda.features.build import build_features
from tests.engine_fixtures import both_engines, spark_keepalive  # noqa: F401 - fixtures
from tests.score.small_borough import AS_OF, build


@pytest.mark.spark
@pytest.mark.slow
def test_features_agree_between_duckdb_and_spark(both_engines):  # noqa: F811 - a fixture
    duck, spark = both_engines
    for engine in (duck, spark):
        build(engine, dwellings=150, seed=4)
        build_features(engine, as_of=AS_OF)
    left = duck.read("feat.property").sort_by("uprn").to_pandas()
    right = spark.read("feat.property").sort_by("uprn").to_pandas()
    assert list(left.columns) == list(right.columns)
    for column in left.columns:
        if column in ("uprn", "as_of"):
            assert left[column].astype(str).tolist() == right[column].astype(str).tolist(), column
        else:
            assert left[column].fillna(-1).round(6).tolist() == right[column].fillna(-1).round(6).tolist(), column
