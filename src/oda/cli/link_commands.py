"""`oda match-addresses` (a file of messy addresses → gazetteer UPRNs) and `oda link` (every source
of a project → ``link.address_matches``)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Optional

import pyarrow as pa
import typer
from rich.console import Console

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def match_files(gazetteer: Path, addresses: Path, output: Path, *, decisions: Path | None = None,
                review: Path | None = None, quiet: bool = False) -> dict[str, object]:
    """Read, match, write; return the summary (also printed unless ``quiet``)."""
    from oda.link.address.files import read_table, write_table
    from oda.link.address.match import AddressMatcher

    started = time.perf_counter()
    with err.status("reading files...", spinner="dots") as status:
        gaz = read_table(gazetteer, "gazetteer")
        messy = read_table(addresses, "addresses")
        status.update(f"parsing the gazetteer ({gaz.num_rows:,} addresses)...")
        matcher = AddressMatcher().fit(gaz)
        if decisions is not None:
            from oda.link.address.review import load_decisions

            load_decisions(matcher, read_table(decisions, "review decisions"))
        status.update(f"matching {messy.num_rows:,} addresses...")
        result = matcher.match(messy)
        matcher.close()
        status.update(f"writing {output}...")
        table = result.select(["id", "uprn", "probability", "tier", "candidate_uprn", "runner_up_uprn", "margin",
                               "matched_to_parent", "uprn_check", "reasons", "normalised_address"])
        table = table.rename_columns([c if c != "probability" else "score" for c in table.column_names])
        write_table(table, output)
        if review is not None:
            from oda.link.address.review import review_worksheet

            write_table(review_worksheet(result), review)
    elapsed = time.perf_counter() - started
    tiers = Counter(result.column("tier").to_pylist())
    matched = result.num_rows - result.column("uprn").null_count
    summary = {"matched": matched, "total": result.num_rows, "tiers": dict(tiers), "seconds": elapsed,
               "per_second": result.num_rows / elapsed if elapsed else 0.0}
    if not quiet:
        mix = ", ".join(f"{t} {tiers.get(t, 0):,}" for t in ("exact", "confident", "review", "unmatched"))
        out.print(f"matched {matched:,}/{result.num_rows:,} ({matched / max(result.num_rows, 1):.1%}); {mix}; "
                  f"{summary['per_second']:,.0f} addresses/s; wrote {output}")
    return summary


def link_project(project: Path | None, truth: Path | None = None, *, quiet: bool = False) -> pa.Table:
    """Run the address-linking stage for a project (recorded as a run) and return its quality table."""
    from oda.engine import open_engine
    from oda.ingest.progress import Reporter
    from oda.link.address.files import read_table
    from oda.link.address.stage import match_quality, run_link_stage
    from oda.pipeline import StageContext
    from oda.project.load import load_project
    from oda.runs import record_run

    loaded = load_project(project)
    with open_engine(loaded) as engine:
        with record_run(engine, loaded, "link") as run:
            run_link_stage(StageContext(loaded, engine, run, Reporter(quiet=quiet)))
        return match_quality(engine, read_table(truth, "truth") if truth else None)


def quality_table(quality: pa.Table):
    from rich.table import Table

    table = Table(title="link.address_matches")
    columns = ["source", "records", "match_rate", "exact", "confident", "review", "unmatched"]
    columns += [c for c in ("precision", "recall") if c in quality.column_names]
    for column in columns:
        table.add_column(column.replace("_", " "), justify="left" if column == "source" else "right")
    for row in quality.to_pylist():
        cells = []
        for column in columns:
            value = row[column]
            if isinstance(value, float) or column in ("precision", "recall"):
                cells.append("-" if value is None else f"{value:.2%}")
            else:
                cells.append(f"{value:,}" if isinstance(value, int) else str(value))
        table.add_row(*cells)
    return table


def register(app: typer.Typer) -> None:
    @app.command("link")
    def link_command(
        project: Optional[Path] = typer.Argument(None, help="Project folder or oda.toml (default: here)."),
        truth: Optional[Path] = typer.Option(None, "--truth", help="Truth (source, record_id, uprn), e.g. the "
                                             "synthetic borough's truth/record_uprn.parquet: adds precision and recall."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages."),
    ) -> None:
        """Match every address-bearing source to the gazetteer's UPRNs (writes link.address_matches)."""
        out.print(quality_table(link_project(project, truth, quiet=quiet)))

    @app.command("match-addresses")
    def match_addresses_command(
        gazetteer: Path = typer.Argument(..., help="Gazetteer: CSV or Parquet with `uprn`, `address` "
                                                   "(one line) and optionally `postcode`, `parent_uprn`."),
        addresses: Path = typer.Argument(..., help="Addresses: CSV or Parquet with `id`, `address` and "
                                                   "optionally `postcode`, `uprn` (checked, not trusted)."),
        output: Path = typer.Option(..., "--out", "-o", help="Result file; .parquet for Parquet, else CSV."),
        decisions: Optional[Path] = typer.Option(None, "--decisions", help="Review decisions to apply: a "
                                                 "filled-in --review worksheet (`key`, `decision`, `uprn`)."),
        review: Optional[Path] = typer.Option(None, "--review", help="Also write the review queue as a "
                                              "worksheet: fill in `decision` (accept/choose/reject) and `uprn`, "
                                              "then pass it back with --decisions."),
    ) -> None:
        """Match messy addresses to gazetteer UPRNs: uprn, score (0-1), tier, runner-up, reasons."""
        match_files(gazetteer, addresses, output, decisions=decisions, review=review)
