"""What every source builder shares: its declared shape, the ward it draws from, and its output.

A source is declared once as a :class:`SourceSpec` (file format, encoding, columns and what each
means, which of oda's standard fields each column maps to). The same declaration writes the file,
the data dictionary and the source's section of the generated ``oda.toml``, so the three never
disagree. A builder turns one ward's truth into a :class:`Batch` of records plus the links from
each record to the property, people and businesses it is really about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from oda.synth.addresses import AddressBook, AddressStyle, Rendered
from oda.synth.businesses import Commerce
from oda.synth.config import ErrorProfile, SynthConfig
from oda.synth.geography import Ward
from oda.synth.noise import name_variant
from oda.synth.occupancy import ONGOING
from oda.synth.seeds import stream

ColumnKind = Literal["str", "int", "float", "date", "datetime", "bool"]


@dataclass(frozen=True)
class Column:
    """One column of an extract: its header as the system spells it and what it holds."""

    header: str
    meaning: str
    standard: str | None = None
    kind: ColumnKind = "str"


@dataclass(frozen=True)
class SourceSpec:
    """Everything about one extract except its rows."""

    name: str
    title: str
    organisation: str
    agreement: str
    describes: Literal["property", "person", "business", "event"]
    fmt: Literal["csv", "xlsx", "parquet"]
    columns: tuple[Column, ...]
    build: Callable[["WardContext"], "Batch"]
    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str | None = None
    date_formats: tuple[str, ...] = ()
    notes: str = ""

    @property
    def filename(self) -> str:
        return f"sources/{self.name}.{self.fmt}"

    @property
    def record_id_header(self) -> str:
        return next(c.header for c in self.columns if c.standard == "record_id")


@dataclass
class Batch:
    """One ward's records of one source, with their truth links (rows align with ``record_id``)."""

    columns: dict[str, list]
    record_id: list[str]
    uprn: np.ndarray
    errors: list[str]
    person_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    person_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    business_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    business_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def __len__(self) -> int:
        return len(self.record_id)


class Counters:
    """Running record-number counters per source, shared across wards so ids never repeat."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, key: str, count: int, first: int = 1) -> np.ndarray:
        start = self._next.get(key, first)
        self._next[key] = start + count
        return np.arange(start, start + count, dtype=np.int64)


@dataclass
class WardContext:
    """One ward's truth, handed to every source builder."""

    config: SynthConfig
    ward: Ward
    gaz: dict[str, np.ndarray]
    dwelling_unit: np.ndarray
    d: dict[str, np.ndarray]
    spells: dict[str, np.ndarray]
    members: dict[str, np.ndarray]
    people: dict[str, np.ndarray]
    commerce: Commerce
    book: AddressBook
    counters: Counters
    shared: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.origin = self.config.window_start.toordinal()
        self.window_days = self.config.window_days
        self.member_start = np.cumsum(self.spells["size"]) - self.spells["size"]
        self._person_order = np.argsort(self.people["person_id"], kind="stable")
        self._sorted_ids = self.people["person_id"][self._person_order]

    def rng(self, *keys: object) -> np.random.Generator:
        return stream(self.config.seed, "source", *keys, self.ward.index)

    def profile(self, source: str) -> ErrorProfile:
        return self.config.profile(source)

    def person_rows(self, person_ids: np.ndarray) -> np.ndarray:
        return self._person_order[np.searchsorted(self._sorted_ids, person_ids)]

    def ordinal(self, day: np.ndarray) -> np.ndarray:
        return self.origin + np.asarray(day, np.int64)

    def ended(self, end: np.ndarray) -> np.ndarray:
        """Whether each spell end falls inside the window (else the spell is ongoing)."""
        return (np.asarray(end) != ONGOING) & (np.asarray(end) < self.window_days)

    def lead_of(self, spell: np.ndarray, position: int = 0) -> np.ndarray:
        """Person id at ``position`` in each spell (the lead by default; 0 if the spell is smaller)."""
        ok = self.spells["size"][spell] > position
        idx = np.where(ok, self.member_start[spell] + position, 0)
        return np.where(ok, self.members["person"][idx], 0)

    def names(self, source: str, person_ids: np.ndarray, rng: np.random.Generator,
              rate: float | None = None) -> tuple[list[str], list[str], list[str], list[str], list[list[str]]]:
        """(title, first, middle, surname, errors) for each person, with the source's name variants."""
        rate = self.profile(source).name_variant if rate is None else rate
        rows = self.person_rows(person_ids)
        first = self.people["first_name"][rows].tolist()
        middle = self.people["middle_names"][rows].tolist()
        last = self.people["surname"][rows].tolist()
        sex = self.people["sex"][rows].tolist()
        others = self.people["surname"][rng.integers(len(self.people["surname"]), size=len(rows))].tolist()
        flags = rng.random(len(rows)) < rate
        titles = np.where(np.array(sex) == "M", "Mr", np.array(["Mrs", "Ms", "Miss"])[rng.integers(3, size=len(rows))])
        titles = np.where(rng.random(len(rows)) < 0.02, "Dr", titles).tolist()
        errors: list[list[str]] = [[] for _ in rows]
        for i in np.flatnonzero(flags).tolist():
            first[i], middle[i], last[i], kind = name_variant(first[i], middle[i], last[i], others[i], rng)
            errors[i].append(f"name_{kind}")
        return titles, first, middle, last, errors

    def addresses(self, source: str, units: np.ndarray, style: AddressStyle, rng: np.random.Generator) -> Rendered:
        return self.book.render(units, self.profile(source), style, rng)

    def uprn_column(self, source: str, uprns: np.ndarray, rng: np.random.Generator) -> list[object]:
        """The UPRN as the system holds it: present for the profile's share of records, else blank."""
        present = (rng.random(len(uprns)) < self.profile(source).uprn_present) & (uprns > 0)
        return [int(u) if p else None for u, p in zip(uprns.tolist(), present.tolist())]


def with_duplicates(base: dict[str, np.ndarray], rate: float, rng: np.random.Generator) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Append a copy of each row with probability ``rate``; returns (rows, is-duplicate flags)."""
    n = len(next(iter(base.values()))) if base else 0
    picks = np.flatnonzero(rng.random(n) < rate)
    out = {k: np.concatenate([v, v[picks]]) for k, v in base.items()}
    return out, np.r_[np.zeros(n, bool), np.ones(len(picks), bool)]


def join_errors(*lists: list[list[str]], duplicate: np.ndarray | None = None, extra: dict[str, np.ndarray] | None = None) -> list[str]:
    """One ";"-joined error list per record from several per-record lists and flag arrays."""
    n = len(lists[0]) if lists else len(duplicate)
    out = []
    for i in range(n):
        parts: list[str] = []
        for lst in lists:
            parts.extend(lst[i])
        if duplicate is not None and duplicate[i]:
            parts.append("duplicate")
        if extra:
            parts.extend(name for name, flags in extra.items() if flags[i])
        out.append(";".join(parts))
    return out


def dates(ordinals: np.ndarray) -> list[dt.date | None]:
    """Ordinals as dates, None for the ongoing sentinel."""
    return [dt.date.fromordinal(int(o)) if o < 800_000 else None for o in np.asarray(ordinals).tolist()]
