"""What is loaded now: ``meta.loads``, one row per source, replaced in the same transaction as the load.

Because the row changes only when ``raw.<source>`` does, it is the truth for "is this file already
loaded?" (skip it) and for `oda status` ("is this source stale?"). Its grain: one row per source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from oda.engine.base import Engine
from oda.project.models import SourceDefinition

LOADS = "meta.loads"
LOADS_SCHEMA = pa.schema([
    ("source", pa.string()), ("content_hash", pa.string()), ("sha256", pa.string()), ("config_hash", pa.string()),
    ("path", pa.string()), ("run_id", pa.string()), ("loaded_at", pa.timestamp("us", tz="UTC")),
    ("rows_read", pa.int64()), ("rows_loaded", pa.int64()), ("rows_quarantined", pa.int64()),
    ("standardised", pa.bool_()),
])


@dataclass(frozen=True)
class LoadState:
    """The load of one source currently in ``raw.<source>``."""

    source: str
    content_hash: str
    sha256: str
    config_hash: str
    path: str
    run_id: str
    loaded_at: dt.datetime
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    standardised: bool


def source_config_hash(source: SourceDefinition) -> str:
    """A hash of one source's settings: changing its mapping reloads it; editing another source does not."""
    # `entities` tells entity resolution how to read the records; it changes nothing that is loaded.
    return hashlib.sha256(source.model_dump_json(exclude={"entities"}).encode("utf-8")).hexdigest()


def content_hash(sha256: str, config_hash: str) -> str:
    return hashlib.sha256(f"{sha256}:{config_hash}".encode("ascii")).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def current_loads(engine: Engine) -> dict[str, LoadState]:
    if not engine.exists(LOADS):
        return {}
    return {row["source"]: LoadState(**row) for row in engine.read(LOADS).to_pylist()}


def record_load(engine: Engine, state: LoadState) -> None:
    """Replace ``state.source``'s row (call inside the load's transaction)."""
    rows = engine.read(LOADS).cast(LOADS_SCHEMA) if engine.exists(LOADS) else LOADS_SCHEMA.empty_table()
    others = rows.filter(pc.not_equal(rows["source"], state.source))
    new = pa.Table.from_pylist([state.__dict__], schema=LOADS_SCHEMA)
    engine.write(LOADS, pa.concat_tables([others, new]).sort_by("source"), mode="replace")


def mark_standardised(engine: Engine, source: str) -> None:
    """Note that ``stg.<source>`` now matches ``raw.<source>`` (after a catch-up standardisation)."""
    loads = current_loads(engine)
    if source in loads:
        state = loads[source]
        record_load(engine, LoadState(**{**state.__dict__, "standardised": True}))
