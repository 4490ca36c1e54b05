"""Single views: one row per entity, every record of one entity, every entity at one property.

Built from a :class:`~oda.link.entities.resolve.Resolution` alone (its cleaned records and clusters),
so they look the same whichever engine resolved the entities. Grain of :func:`entity_table`: one row
per entity (``cluster_id``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.compute as pc


def _records_with_ids(resolution: Any) -> pa.Table:
    ids = dict(zip(zip(resolution.clusters["source"].to_pylist(), resolution.clusters["unique_id"].to_pylist()),
                   resolution.clusters["cluster_id"].to_pylist()))
    records = resolution.records
    column = [ids[k] for k in zip(records["source_dataset"].to_pylist(), records["unique_id"].to_pylist())]
    return records.append_column("cluster_id", pa.array(column, pa.string()))


def _value_columns(resolution: Any) -> list[str]:
    return [f.column for f in resolution.fields]


def _most_common(values: Iterable[Any]) -> Any:
    counted = Counter(v for v in values if v not in (None, ""))
    return min(counted, key=lambda v: (-counted[v], str(v))) if counted else None


def entity_table(resolution: Any) -> pa.Table:
    """One row per entity: its id, how many records and which sources, and for every field the value
    most of its records agree on (ties broken alphabetically) with every distinct value seen."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in _records_with_ids(resolution).to_pylist():
        rows.setdefault(row["cluster_id"], []).append(row)
    out = []
    for cid in sorted(rows):
        members = rows[cid]
        entry: dict[str, Any] = {"cluster_id": cid, "records": len(members),
                                 "sources": sorted({m["source_dataset"] for m in members})}
        for column in _value_columns(resolution):
            entry[column] = _most_common(m.get(column) for m in members)
            entry[f"{column}_all"] = sorted({str(m[column]) for m in members if m.get(column) not in (None, "")})
        out.append(entry)
    return pa.Table.from_pylist(out)


def entity_view(resolution: Any, cluster_id: str) -> dict[str, Any]:
    """Every record of one entity, by source, with the cleaned values that were compared."""
    table = _records_with_ids(resolution)
    members = table.filter(pc.equal(table["cluster_id"], cluster_id)).to_pylist()
    columns = _value_columns(resolution)
    by_source: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        by_source.setdefault(m["source_dataset"], []).append({"unique_id": m["unique_id"],
                                                               **{c: m.get(c) for c in columns}})
    return {"cluster_id": cluster_id, "records": len(members), "by_source": by_source}


def property_view(resolutions: Iterable[Any], uprn: str) -> dict[str, Any]:
    """The people and businesses whose records carry property ``uprn`` (needs a ``uprn`` field)."""
    wanted = str(uprn).lstrip("0")
    found: dict[str, list[dict[str, Any]]] = {}
    for resolution in resolutions:
        if "uprn" not in _value_columns(resolution):
            continue
        table = _records_with_ids(resolution)
        here = table.filter(pc.equal(table["uprn"], wanted))
        for cid in sorted(set(here["cluster_id"].to_pylist())):
            view = entity_view(resolution, cid)
            kind = "people" if cid.startswith("P") else "businesses"
            found.setdefault(kind, []).append(view)
    return {"uprn": wanted, **found}
