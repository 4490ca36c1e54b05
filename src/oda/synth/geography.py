"""The borough's places: wards on a grid around the centre, their LSOAs, localities and postcodes.

The plan is cheap and made up front so that each ward can then be generated on its own (in
order, streaming to disk) with bounded memory. Postcodes are valid in format but use districts
that do not exist (E21 and up, N23 and up, ...) so no real address is ever produced.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from oda.synth.config import SynthConfig
from oda.synth.namebank import LOCALITY_NAMES
from oda.synth.seeds import stream

DWELLINGS_PER_KM2 = 4_000.0
METRES_PER_DEGREE = 111_320.0
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_FICTIONAL_DISTRICTS = (("E", 21), ("N", 23), ("SE", 29), ("SW", 21), ("NW", 12), ("W", 15))
_WARD_SUFFIXES = ("", " North", " South", " East", " West", " Central", " Park", " Village")


@dataclass(frozen=True)
class Ward:
    """One electoral ward: its name, code, locality, dwellings to build and where it lies."""

    index: int
    name: str
    code: str
    locality: str
    dwellings: int
    origin_x: float
    origin_y: float
    size_m: float
    district: str
    sectors: tuple[int, ...]


@dataclass(frozen=True)
class BoroughPlan:
    """The wards of the borough and the projection from local metres to WGS84."""

    wards: tuple[Ward, ...]
    centre: tuple[float, float]

    def to_latlon(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Local metres east/north of the centre → (lat, lon) degrees, rounded to ~1 m."""
        lat0, lon0 = self.centre
        lat = lat0 + y / METRES_PER_DEGREE
        lon = lon0 + x / (METRES_PER_DEGREE * math.cos(math.radians(lat0)))
        return np.round(lat, 6), np.round(lon, 6)


def district_name(number: int) -> str:
    """The ``number``-th fictional postcode district: E21, E22, ..., E99, N23, ..."""
    for area, first in _FICTIONAL_DISTRICTS:
        span = 100 - first
        if number < span:
            return f"{area}{first + number}"
        number -= span
    raise ValueError("more postcode districts than the fictional areas hold")


def plan_borough(config: SynthConfig) -> BoroughPlan:
    """Split ``config.properties`` dwellings into wards laid out on a square grid."""
    rng = stream(config.seed, "geography", "wards")
    n_wards = max(1, round(config.properties / config.ward_dwellings))
    weights = rng.uniform(0.75, 1.25, n_wards)
    counts = np.floor(weights / weights.sum() * config.properties).astype(int)
    counts[: config.properties - counts.sum()] += 1
    columns = math.ceil(math.sqrt(n_wards))
    cell = math.sqrt(config.ward_dwellings / DWELLINGS_PER_KM2) * 1000.0
    half = columns * cell / 2
    names = [n.replace("_", " ") for n in LOCALITY_NAMES]
    order = rng.permutation(len(names))
    wards = []
    for i in range(n_wards):
        locality = names[order[i % len(names)]]
        suffix = _WARD_SUFFIXES[(i // len(names)) % len(_WARD_SUFFIXES)]
        extra = f" {i // (len(names) * len(_WARD_SUFFIXES)) + 1}" if i >= len(names) * len(_WARD_SUFFIXES) else ""
        row, col = divmod(i, columns)
        wards.append(Ward(
            index=i, name=f"{locality}{suffix}{extra}", code=f"E05{900001 + i:06d}", locality=locality,
            dwellings=int(counts[i]), origin_x=col * cell - half, origin_y=half - (row + 1) * cell, size_m=cell,
            district=district_name(i // 4), sectors=(2 * (i % 4), 2 * (i % 4) + 1, 8 + (i % 4) // 2),
        ))
    return BoroughPlan(wards=tuple(wards), centre=config.centre)


class PostcodeAllocator:
    """Hands out unused postcode units in a ward's sectors, in a shuffled but fixed order."""

    def __init__(self, ward: Ward, rng: np.random.Generator):
        units = [a + b for a in UNIT_LETTERS for b in UNIT_LETTERS]
        self._codes = [f"{ward.district} {sector}{units[j]}"
                       for sector in ward.sectors for j in rng.permutation(len(units))]
        self._next = 0

    def take(self) -> str:
        code = self._codes[self._next % len(self._codes)]
        self._next += 1
        return code
