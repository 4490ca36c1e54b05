"""The ward's streets, buildings and addressable units, as an LLPG / AddressBase would list them.

Streets are laid out as straight lines with odd numbers on one side and even on the other, so
neighbouring numbers are metres apart. A street has a character (terraced, high street, estate,
suburban) that sets its building mix: houses, houses converted into flats (a parent shell with
FLAT A / GROUND FLOOR FLAT beneath it), purpose-built blocks with names, shops with flats above
(often numbered 12A), offices and workshops. Every unit gets a UPRN; flats get a parent UPRN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from oda.synth.geography import BoroughPlan, PostcodeAllocator, Ward
from oda.synth.namebank import BUILDING_KINDS, BUILDING_STEMS, HOUSE_NAMES, STREET_STEMS, STREET_SUFFIXES
from oda.synth.seeds import stream

# Dwelling kinds; the population model reads these codes.
TERRACED, SEMI, DETACHED, CONV_FLAT, BLOCK_FLAT, SHOP_FLAT, COMMERCIAL, SHELL = range(8)
KIND_NAMES = ("terraced", "semi", "detached", "converted_flat", "block_flat", "flat_over_shop", "commercial",
              "shell")
_CLASS = {TERRACED: "RD04", SEMI: "RD03", DETACHED: "RD02", CONV_FLAT: "RD06", BLOCK_FLAT: "RD06",
          SHOP_FLAT: "RD06", SHELL: "PP"}
_BEDROOMS = {TERRACED: ([2, 3, 4, 5], [.25, .45, .22, .08]), SEMI: ([3, 4, 5], [.5, .35, .15]),
             DETACHED: ([3, 4, 5, 6], [.3, .4, .22, .08]), CONV_FLAT: ([1, 2, 3], [.45, .4, .15]),
             BLOCK_FLAT: ([1, 2, 3, 4], [.35, .4, .2, .05]), SHOP_FLAT: ([1, 2, 3], [.35, .45, .2])}
_STREET_TYPES = ("terrace", "high", "estate", "suburban")
_STREET_P = (0.56, 0.10, 0.16, 0.18)
_BUILDINGS = {  # street type -> (building kinds, probabilities, plots per side range)
    "terrace": ((TERRACED, CONV_FLAT, SHOP_FLAT, BLOCK_FLAT), (.6, .32, .03, .05), (10, 36)),
    "high": ((SHOP_FLAT, COMMERCIAL, CONV_FLAT, BLOCK_FLAT), (.6, .22, .1, .08), (8, 26)),
    "estate": ((BLOCK_FLAT, TERRACED), (.75, .25), (2, 5)),
    "suburban": ((SEMI, DETACHED, TERRACED, CONV_FLAT), (.55, .15, .2, .1), (7, 20)),
}
_FLOORS = ("BASEMENT FLAT", "GROUND FLOOR FLAT", "FIRST FLOOR FLAT", "SECOND FLOOR FLAT", "THIRD FLOOR FLAT")
_PLOT_WIDTH = {TERRACED: 6.0, SEMI: 9.0, DETACHED: 14.0, CONV_FLAT: 7.0, BLOCK_FLAT: 30.0, SHOP_FLAT: 7.0,
               COMMERCIAL: 9.0}


@dataclass(frozen=True)
class WardGazetteer:
    """Columns of every unit in one ward (dwellings, commercial units and parent shells)."""

    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.columns["uprn"])


class _Builder:
    def __init__(self, ward: Ward, rng: np.random.Generator):
        self.ward, self.rng = ward, rng
        self.rows: dict[str, list] = {k: [] for k in (
            "uprn", "parent_uprn", "usrn", "street", "street_index", "side", "plot", "building", "sao_text",
            "flat_no", "flat_letter", "flat_floor", "pao_start", "pao_suffix", "pao_end", "pao_text",
            "classification", "kind", "bedrooms", "floor_area", "x", "y", "postcode")}
        self.next_uprn = 100_021_000_000 + ward.index * 100_000 + int(rng.integers(1, 50))
        self.building = 0
        self.dwellings = 0

    def uprn(self) -> int:
        value = self.next_uprn
        self.next_uprn += 1 + int(self.rng.geometric(0.6)) - 1
        return value

    def add(self, **values) -> int:
        uprn = self.uprn()
        row = {"uprn": uprn, "parent_uprn": 0, "sao_text": "", "flat_no": 0, "flat_letter": "", "flat_floor": -9,
               "pao_suffix": "", "pao_end": 0, "pao_text": "", "bedrooms": 0, "floor_area": 0.0}
        row.update(values)
        for key, column in self.rows.items():
            column.append(row[key])
        if row["kind"] in _BEDROOMS:
            self.dwellings += 1
        return uprn


def _draw(rng: np.random.Generator, options: tuple | list, weights: tuple | list) -> int:
    """One weighted choice; much cheaper than ``Generator.choice`` for a single draw."""
    return options[min(len(options) - 1, int(np.searchsorted(np.cumsum(weights), rng.random() * sum(weights))))]


def _bedrooms(rng: np.random.Generator, kind: int) -> tuple[int, float]:
    options, weights = _BEDROOMS[kind]
    beds = int(_draw(rng, options, weights))
    base = 30.0 if kind in (CONV_FLAT, BLOCK_FLAT, SHOP_FLAT) else 45.0 + (25.0 if kind == DETACHED else 0.0)
    return beds, round(max(22.0, base + 19.0 * beds + rng.normal(0, 9)), 0)


def _street_names(rng: np.random.Generator, count: int) -> list[str]:
    suffixes = [s for s, _ in STREET_SUFFIXES]
    weights = np.array([w for _, w in STREET_SUFFIXES], float)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{STREET_STEMS[rng.integers(len(STREET_STEMS))]} {rng.choice(suffixes, p=weights / weights.sum())}"
        if name not in seen or len(seen) > len(STREET_STEMS) * 8:
            seen.add(name)
            names.append(name)
    return names


def build_ward(plan: BoroughPlan, ward: Ward, seed: int) -> WardGazetteer:
    """Streets and units of ``ward`` until it holds ``ward.dwellings`` dwellings."""
    rng = stream(seed, "gazetteer", ward.index)
    postcodes = PostcodeAllocator(ward, rng)
    builder = _Builder(ward, rng)
    street_names = _street_names(rng, 400)
    street_index = 0
    while builder.dwellings < ward.dwellings:
        kind = _draw(rng, _STREET_TYPES, _STREET_P)
        _build_street(builder, rng, postcodes, kind, street_names[street_index % 400], street_index)
        street_index += 1
    cols = {k: np.asarray(v) for k, v in builder.rows.items()}
    cols = _trim(cols, ward.dwellings)
    cols["lat"], cols["lon"] = plan.to_latlon(cols["x"], cols["y"])
    is_dwelling = np.isin(cols["kind"], list(_BEDROOMS))
    cols["is_dwelling"] = is_dwelling
    lsoa_local = np.cumsum(is_dwelling) // 650
    cols["lsoa_index"] = lsoa_local
    return WardGazetteer(columns=cols)


def _trim(cols: dict[str, np.ndarray], dwellings: int) -> dict[str, np.ndarray]:
    """Drop the last buildings' excess units so the ward has exactly ``dwellings`` dwellings."""
    is_dwelling = np.isin(cols["kind"], list(_BEDROOMS))
    cut = int(np.searchsorted(np.cumsum(is_dwelling), dwellings) + 1)
    keep = np.arange(len(is_dwelling)) < cut
    # Keep parent shells only if a child survived.
    parents = set(cols["parent_uprn"][keep].tolist())
    keep &= (cols["kind"] != SHELL) | np.isin(cols["uprn"], list(parents))
    return {k: v[keep] for k, v in cols.items()}


def _build_street(builder: _Builder, rng: np.random.Generator, postcodes: PostcodeAllocator,
                  street_kind: str, street: str, street_index: int) -> None:
    kinds, probs, (low, high) = _BUILDINGS[street_kind]
    ward = builder.ward
    ox = ward.origin_x + rng.uniform(0.1, 0.9) * ward.size_m
    oy = ward.origin_y + rng.uniform(0.1, 0.9) * ward.size_m
    angle = rng.uniform(0, math.pi)
    dx, dy = math.cos(angle), math.sin(angle)
    usrn = 20_900_000 + ward.index * 1_000 + street_index
    for side in (0, 1):
        number = 1 + side
        along = 0.0
        postcode, points_left = postcodes.take(), int(rng.integers(10, 20))
        for plot in range(int(rng.integers(low, high + 1))):
            kind = int(_draw(rng, kinds, probs))
            width = _PLOT_WIDTH[kind]
            along += width / 2
            x = ox + dx * along - dy * (9.0 if side else -9.0)
            y = oy + dy * along + dx * (9.0 if side else -9.0)
            along += width / 2
            wide = kind in (BLOCK_FLAT, COMMERCIAL) and rng.random() < 0.3
            common = dict(usrn=usrn, street=street, street_index=street_index, side=side, plot=plot,
                          building=builder.building, x=round(x, 1), y=round(y, 1))
            builder.building += 1
            if points_left <= 0 or (kind == BLOCK_FLAT):
                postcode, points_left = postcodes.take(), int(rng.integers(10, 20))
            common["postcode"] = postcode
            pao = dict(pao_start=number, pao_end=number + 2 if wide else 0)
            points_left -= _place_building(builder, rng, kind, common, pao)
            if kind == BLOCK_FLAT:
                postcode, points_left = postcodes.take(), int(rng.integers(10, 20))
            number += 4 if wide else 2
            if kind == TERRACED and rng.random() < 0.03:
                builder.add(kind=TERRACED, classification="RD04", pao_start=number - 2, pao_suffix="A",
                            **_bed(rng, TERRACED), **common)


def _bed(rng: np.random.Generator, kind: int) -> dict:
    beds, area = _bedrooms(rng, kind)
    return {"bedrooms": beds, "floor_area": area}


def _place_building(builder: _Builder, rng: np.random.Generator, kind: int, common: dict, pao: dict) -> int:
    """Add one building's units; returns how many delivery points it used."""
    if kind in (TERRACED, SEMI, DETACHED):
        extra = {}
        if kind != TERRACED and rng.random() < 0.1:
            extra["pao_text"] = HOUSE_NAMES[rng.integers(len(HOUSE_NAMES))].replace("_", " ").upper()
        builder.add(kind=kind, classification=_CLASS[kind], **pao, **extra, **_bed(rng, kind), **common)
        return 1
    if kind == COMMERCIAL:
        builder.add(kind=COMMERCIAL, classification="CR08", **pao, **common)
        return 1
    parent = builder.add(kind=SHELL, classification="PP", **pao, **common)
    if kind == CONV_FLAT:
        flats = int(_draw(rng, (2, 3, 4), (.45, .4, .15)))
        style = int(_draw(rng, (0, 1, 2), (.45, .3, .25)))
        for i in range(flats):
            floor = i if flats < 4 else i - 1
            sao = (f"FLAT {'ABCDEF'[i]}", f"FLAT {i + 1}", _FLOORS[floor + 1])[style]
            builder.add(kind=CONV_FLAT, classification="RD06", parent_uprn=parent, sao_text=sao, flat_no=i + 1,
                        flat_letter="ABCDEF"[i], flat_floor=floor, **pao, **_bed(rng, CONV_FLAT), **common)
        return flats
    if kind == SHOP_FLAT:
        builder.add(kind=COMMERCIAL, classification="CR08", parent_uprn=parent, sao_text="GROUND FLOOR",
                    flat_floor=0, **pao, **common)
        flats = 1 if rng.random() < 0.7 else 2
        suffix_style = rng.random() < 0.4 and flats == 1
        for i in range(flats):
            if suffix_style:
                builder.add(kind=SHOP_FLAT, classification="RD06", parent_uprn=parent, flat_no=1, flat_letter="A",
                            flat_floor=1, pao_start=pao["pao_start"], pao_suffix="A", **_bed(rng, SHOP_FLAT),
                            **common)
            else:
                sao = ("FLAT ABOVE" if flats == 1 else f"FLAT {i + 1}") if rng.random() < 0.5 else _FLOORS[i + 2]
                builder.add(kind=SHOP_FLAT, classification="RD06", parent_uprn=parent, sao_text=sao, flat_no=i + 1,
                            flat_letter="AB"[i], flat_floor=i + 1, **pao, **_bed(rng, SHOP_FLAT), **common)
        return flats + 1
    # Purpose-built block with a name.
    name = f"{BUILDING_STEMS[rng.integers(len(BUILDING_STEMS))]} {BUILDING_KINDS[rng.integers(len(BUILDING_KINDS))]}"
    named_only = rng.random() < 0.5
    block_pao = dict(pao_start=0, pao_end=0) if named_only else pao
    builder.rows["pao_text"][-1] = name.upper()
    for key, value in block_pao.items():
        builder.rows[key][-1] = value
    flats = int(rng.integers(6, 41))
    storeys = max(2, min(20, flats // 4))
    for i in range(flats):
        builder.add(kind=BLOCK_FLAT, classification="RD06", parent_uprn=parent, sao_text=f"FLAT {i + 1}",
                    flat_no=i + 1, flat_letter="", flat_floor=i * storeys // flats, pao_text=name.upper(),
                    **block_pao, **_bed(rng, BLOCK_FLAT), **common)
    return flats
