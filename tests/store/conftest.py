"""A fresh operational store on each real database: a SQLite file and a PostgreSQL database."""

import pytest

from tests.databases import open_test_store


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    yield from open_test_store(request.param, tmp_path)
