"""`oda synth`: write a synthetic borough (gazetteer, partner extracts, hidden truth, oda.toml)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import Progress

from oda.errors import SynthError
from oda.synth import ERROR_PROFILES, SynthConfig, generate

out = Console(soft_wrap=True)


def parse_centre(text: str) -> tuple[float, float]:
    """``"51.545,-0.055"`` → (51.545, -0.055), or a :class:`SynthError` saying how to write it."""
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        raise SynthError(f"--centre {text!r} is not LAT,LON; write it like --centre 51.545,-0.055") from None
    return lat, lon


def parse_source_scales(items: list[str], base: float) -> tuple:
    """``["env_health_requests=2"]`` → per-source profiles scaled by that factor (times ``base``)."""
    overrides = []
    for item in items:
        name, _, factor = item.partition("=")
        if name not in ERROR_PROFILES:
            raise SynthError(f"--source-error {item!r}: no source called `{name}`; use one of "
                             f"{', '.join(sorted(ERROR_PROFILES))}")
        try:
            scale = float(factor)
        except ValueError:
            raise SynthError(f"--source-error {item!r}: write NAME=FACTOR, e.g. police_asb=2") from None
        overrides.append((name, ERROR_PROFILES[name].scaled(scale * base)))
    return tuple(overrides)


def register(app: typer.Typer) -> None:
    @app.command("synth")
    def synth_command(
        out_dir: Path = typer.Option(..., "--out", "-o", help="Folder to write the borough into."),
        properties: int = typer.Option(10_000, "--properties", "-n", help="Number of dwellings."),
        seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives byte-identical files."),
        error_rate: float = typer.Option(1.0, "--error-rate", help="Multiply every source's error rates (0 = clean)."),
        source_error: Optional[list[str]] = typer.Option(
            None, "--source-error", help="Scale one source's errors, NAME=FACTOR (repeatable)."),
        centre: str = typer.Option("51.545,-0.055", "--centre", help="Borough centre as LAT,LON (WGS84)."),
        hmo_prevalence: float = typer.Option(0.045, "--hmo-prevalence", help="Share of dwellings that are HMOs."),
        licensed_share: float = typer.Option(0.15, "--licensed-share", help="Share of HMOs that are licensed."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the summary's last lines."),
    ) -> None:
        """Generate a synthetic borough: gazetteer, partner extracts with realistic errors, and the truth."""
        config = SynthConfig(properties=properties, seed=seed, centre=parse_centre(centre), error_scale=error_rate,
                             overrides=parse_source_scales(source_error or [], error_rate),
                             hmo_prevalence=hmo_prevalence, licensed_share=licensed_share)
        with Progress(console=out, transient=True, disable=quiet) as progress:
            task = progress.add_task("Generating wards", total=None)
            summary = generate(config, out_dir, lambda done, total: progress.update(task, completed=done, total=total))
        lines = summary.lines()
        for line in lines[-3:] if quiet else lines:
            out.print(line, highlight=False, markup=False)
