from tests.engine_fixtures import both_engines, engine, engine_kind, spark_keepalive  # noqa: F401
