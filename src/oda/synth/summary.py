"""What a generated borough contains: counts per source, realised error rates, HMO figures.

The summary is computed while the borough streams to disk (no second pass), printed by
``oda synth``, returned by :func:`oda.synth.generate_borough`, and saved as ``summary.json`` (without
timings, so the folder stays byte-identical for a given seed).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from oda.synth.sources.base import Batch


@dataclass
class SourceTally:
    """Running counts for one source."""

    records: int = 0
    with_uprn_truth: int = 0
    errors: Counter = field(default_factory=Counter)

    def add(self, batch: Batch) -> None:
        self.records += len(batch)
        self.with_uprn_truth += int((np.asarray(batch.uprn) > 0).sum())
        for text in batch.errors:
            if text:
                self.errors.update(set(text.split(";")))


@dataclass
class Tally:
    """Running counts for the whole borough."""

    sources: dict[str, SourceTally] = field(default_factory=dict)
    dwellings: int = 0
    units: int = 0
    hmos: int = 0
    licensed: int = 0
    student_lets: int = 0
    people: int = 0
    businesses: int = 0
    complaint_inspections: int = 0
    complaint_confirmed: int = 0
    complaint_not: int = 0

    def add(self, name: str, batch: Batch) -> None:
        self.sources.setdefault(name, SourceTally()).add(batch)
        if name == "inspections":
            reason = np.array(batch.columns["Reason"], dtype=object)
            outcome = np.array(batch.columns["Outcome"], dtype=object)
            after = reason == "Complaint"
            self.complaint_inspections += int(after.sum())
            self.complaint_confirmed += int((after & (outcome == "HMO confirmed")).sum())
            self.complaint_not += int((after & (outcome == "Not an HMO")).sum())


@dataclass(frozen=True)
class SynthSummary:
    """The borough at a glance. ``seconds`` and ``peak_rss_mb`` are not saved to disk."""

    out_dir: str
    seed: int
    dwellings: int
    units: int
    people: int
    businesses: int
    hmos: int
    licensed_hmos: int
    student_lets: int
    hmo_prevalence: float
    licensed_share: float
    complaint_inspections: int
    complaint_hit_rate: float
    source_records: dict[str, int]
    error_rates: dict[str, dict[str, float]]
    seconds: float = 0.0

    @property
    def total_records(self) -> int:
        return sum(self.source_records.values())

    @classmethod
    def from_tally(cls, tally: Tally, out_dir: Path, seed: int, seconds: float) -> "SynthSummary":
        visited = tally.complaint_confirmed + tally.complaint_not
        return cls(
            out_dir=str(out_dir), seed=seed, dwellings=tally.dwellings, units=tally.units, people=tally.people,
            businesses=tally.businesses, hmos=tally.hmos, licensed_hmos=tally.licensed, student_lets=tally.student_lets,
            hmo_prevalence=round(tally.hmos / max(1, tally.dwellings), 4),
            licensed_share=round(tally.licensed / max(1, tally.hmos), 4),
            complaint_inspections=tally.complaint_inspections,
            complaint_hit_rate=round(tally.complaint_confirmed / max(1, visited), 4),
            source_records={k: v.records for k, v in tally.sources.items()},
            error_rates={k: {e: round(c / max(1, v.records), 4) for e, c in sorted(v.errors.items())}
                         for k, v in tally.sources.items()},
            seconds=round(seconds, 2),
        )

    def to_json(self) -> str:
        data = {k: v for k, v in self.__dict__.items() if k not in ("seconds", "out_dir")}
        return json.dumps(data, indent=2, sort_keys=True)

    def lines(self) -> list[str]:
        """A plain-text report: one line per source, then the HMO figures."""
        out = [f"Borough in {self.out_dir} (seed {self.seed}): {self.dwellings:,} dwellings, {self.units:,} addressable "
               f"units, {self.people:,} people, {self.businesses:,} businesses",
               f"{'source':<22}{'records':>10}  main error rates"]
        for name, count in self.source_records.items():
            rates = sorted(self.error_rates.get(name, {}).items(), key=lambda kv: -kv[1])[:5]
            text = ", ".join(f"{e} {r:.1%}" for e, r in rates)
            out.append(f"{name:<22}{count:>10,}  {text}")
        out.append(f"{'total':<22}{self.total_records:>10,}")
        out.append(f"HMOs: {self.hmos:,} ({self.hmo_prevalence:.1%} of dwellings), licensed {self.licensed_hmos:,} "
                   f"({self.licensed_share:.1%}); student lets {self.student_lets:,}")
        out.append(f"Inspections after complaints: {self.complaint_inspections:,}, HMO found where access was gained "
                   f"{self.complaint_hit_rate:.1%}")
        if self.seconds:
            out.append(f"Generated in {self.seconds:.1f} s")
        return out
