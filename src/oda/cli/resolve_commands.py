"""`oda resolve`: resolve people or businesses across files — the standalone (and benchmark) interface.

    oda resolve tax.csv electors.parquet --entity person --out people.parquet --pairs pairs.csv

OUT has ``source`` (each input's file stem), ``unique_id`` and ``cluster_id``; PAIRS has both ids and
the match probability of every pair at or above the threshold.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from oda.errors import LinkError

err = Console(stderr=True, soft_wrap=True)


def run_resolve(
    inputs: list[Path],
    entity: str,
    out: Path,
    *,
    pairs: Path | None = None,
    fields: list[str] = (),
    threshold: float | None = None,
    link_type: str | None = None,
    previous: Path | None = None,
    model_out: Path | None = None,
) -> dict:
    """What the command does, callable from Python: returns a summary (counts and seconds)."""
    from oda.link.entities.fields import parse_field_option
    from oda.link.entities.files import read_table, write_table
    from oda.link.entities.resolve import DEFAULT_THRESHOLD, ResolveOptions, resolve

    if entity not in ("person", "business"):
        raise LinkError(f"--entity `{entity}` is not one of person, business")
    if link_type not in (None, "dedupe_only", "link_only", "link_and_dedupe"):
        raise LinkError(f"--link-type `{link_type}` is not one of dedupe_only, link_only, link_and_dedupe")
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if not 0 < threshold < 1:
        raise LinkError(f"--threshold {threshold} must be a probability between 0 and 1 (exclusive)")
    tables = {}
    for path in inputs:
        if path.stem in tables:
            raise LinkError(f"two inputs are named `{path.stem}`; the file stem names the source in OUT, "
                            "so rename one of them")
        tables[path.stem] = read_table(path)
    prior = None
    if previous is not None:
        old = read_table(previous)
        missing = {"source", "unique_id", "cluster_id"} - set(old.column_names)
        if missing:
            raise LinkError(f"--previous `{previous}` lacks column(s) {', '.join(sorted(missing))}; "
                            "pass an OUT file of an earlier `oda resolve`")
        prior = {(s, u): c for s, u, c in zip(old["source"].to_pylist(), old["unique_id"].to_pylist(),
                                             old["cluster_id"].to_pylist())}
    options = ResolveOptions(entity=entity, extra_fields=tuple(parse_field_option(f) for f in fields),
                             link_type=link_type, threshold=threshold)  # type: ignore[arg-type]
    result = resolve(tables, options, previous=prior)
    write_table(result.clusters, out)
    if pairs is not None:
        write_table(result.links(), pairs)
    if model_out is not None:
        model_out.write_text(json.dumps(result.model, indent=2), encoding="utf-8")
    return {
        "records": result.clusters.num_rows,
        "entities": len(set(result.clusters["cluster_id"].to_pylist())),
        "links": result.links().num_rows,
        "seconds": round(result.seconds["total"], 2),
    }


def register(app: typer.Typer) -> None:
    @app.command("resolve")
    def resolve_command(
        inputs: List[Path] = typer.Argument(..., help="CSV or Parquet files with a unique_id column."),
        entity: str = typer.Option(..., "--entity", help="person or business."),
        out: Path = typer.Option(..., "--out", help="Where to write source, unique_id, cluster_id (.csv/.parquet)."),
        pairs: Optional[Path] = typer.Option(None, "--pairs", help="Also write the linked pairs with their probability."),
        field: List[str] = typer.Option([], "--field", help="Compare another column: NAME=KIND "
                                        "(KIND: name, date, postcode, address, id, text). Repeatable."),
        threshold: Optional[float] = typer.Option(None, "--threshold", help="Match probability to link at (default 0.5)."),
        link_type: Optional[str] = typer.Option(None, "--link-type", help="dedupe_only, link_only or "
                                                "link_and_dedupe (default: dedupe one input, link and dedupe several)."),
        previous: Optional[Path] = typer.Option(None, "--previous", help="An earlier OUT: entities keep their ids."),
        model: Optional[Path] = typer.Option(None, "--model-out", help="Write the trained model (JSON) here."),
    ) -> None:
        """Resolve people or businesses across files into entities."""
        summary = run_resolve(inputs, entity, out, pairs=pairs, fields=field, threshold=threshold,
                              link_type=link_type, previous=previous, model_out=model)
        err.print(f"{summary['records']:,} records → {summary['entities']:,} {entity} entities "
                  f"({summary['links']:,} links) in {summary['seconds']} s; wrote {out}")
