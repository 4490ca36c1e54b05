"""The entity-resolution part of `oda status`: per entity its records, entities, cluster sizes,
suspected over-links and, on a synthetic borough (a ``truth/`` folder beside ``oda.toml``), its
precision, recall and F1 against the truth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table

BUCKETS = ("1", "2", "3-5", "6-10", "11+")


def borough_truth_folder(project_root: Path) -> Path | None:
    """The synthetic borough's truth folder beside the project file, if there is one."""
    folder = project_root / "truth"
    return folder if (folder / "record_person.parquet").exists() else None


def entity_quality_table(reports: dict[str, dict[str, Any]], truth_folder: Path | None = None) -> Table:
    """One column per entity, one row per measure (narrow enough for any terminal); accuracy rows
    only when a truth was given."""
    title = "Entities (link.person_clusters, link.business_clusters)"
    if truth_folder is not None:
        title += f"\naccuracy against {truth_folder}"
    table = Table(title=title)
    table.add_column("measure")
    for entity in reports:
        table.add_column(entity, justify="right")

    def row(label: str, cell) -> None:
        table.add_row(label, *(cell(report) for report in reports.values()))

    row("records", lambda r: f"{r['records']:,}")
    row("entities", lambda r: f"{r['entities']:,}")
    for bucket in BUCKETS:
        row(f"  of {bucket} record{'' if bucket == '1' else 's'}", lambda r, b=bucket: f"{r['size_buckets'][b]:,}")
    row("suspected over-links", lambda r: f"{r['suspected_overlink_count']:,}")
    if any("joint_records_one_person" in r for r in reports.values()):
        row("  joint records merged", lambda r: f"{r['joint_records_one_person']:,}"
            if "joint_records_one_person" in r else "-")
    if any("accuracy" in r for r in reports.values()):
        for name, label in (("pairwise", "pairwise P / R / F1"), ("clusters", "cluster P / R / F1")):
            row(label, lambda r, n=name: "-" if "accuracy" not in r else
                f"{r['accuracy'][n]['precision']:.3f} / {r['accuracy'][n]['recall']:.3f} / {r['accuracy'][n]['f1']:.3f}")
        row("truth records resolved", lambda r: "-" if r.get("accuracy", {}).get("coverage") is None
            else f"{r['accuracy']['coverage']:.1%}")
    return table
