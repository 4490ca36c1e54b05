"""One small borough per test session, shared by every synth test (generation takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oda.synth import SynthSummary, generate_borough

SMALL = 3_000
SEED = 11


@pytest.fixture(scope="session")
def borough(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SynthSummary]:
    out = tmp_path_factory.mktemp("borough")
    summary = generate_borough(out, properties=SMALL, seed=SEED)
    return out, summary
