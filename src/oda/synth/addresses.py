"""Addresses as each system types them, from the gazetteer's clean BS7666 parts.

A source has a habit (:class:`AddressStyle`: how many lines, which case, whether the postcode is in
the line) and an error profile (how often a typist abbreviates, misspells, drops the locality,
writes "12B" for "Flat B, 12", ...). :meth:`AddressBook.render` applies both and reports which
errors it applied to each record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from oda.synth.config import ErrorProfile
from oda.synth.noise import abbreviate, mangle_postcode, postcode_spacing, punctuate, transpose_digits, typo

_ORDINAL_FLOOR = {-1: ("Basement Flat", "Lower Ground Floor Flat"), 0: ("Ground Floor Flat", "Ground Floor"),
                  1: ("First Floor Flat", "1st Floor Flat"), 2: ("Second Floor Flat", "2nd Floor Flat"),
                  3: ("Third Floor Flat", "3rd Floor Flat")}


@dataclass(frozen=True)
class AddressStyle:
    """How one system lays out an address: ``lines`` = 0 means one free-text line."""

    lines: int = 4
    case: Literal["upper", "title", "lower"] = "title"
    postcode_in_line: bool = False
    town: bool = True


@dataclass(frozen=True)
class Rendered:
    """Rendered addresses: ``lines[i]`` has ``style.lines`` entries (or one for free text)."""

    lines: list[list[str]]
    postcode: list[str]
    errors: list[list[str]]


def _title(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))


class AddressBook:
    """The clean address parts of one ward's units, ready to render in any system's style."""

    def __init__(self, columns: dict[str, np.ndarray], locality: str, town: str):
        self.c = {k: columns[k].tolist() for k in ("sao_text", "flat_no", "flat_letter", "flat_floor", "pao_start",
                                                   "pao_suffix", "pao_end", "pao_text", "street", "postcode", "kind")}
        self.locality, self.town = locality, town
        order: list[str] = []
        for code in self.c["postcode"]:
            if not order or order[-1] != code:
                order.append(code)
        following = {a: b for a, b in zip(order, order[1:] + order[:1])}
        self.neighbour = [following[p] for p in self.c["postcode"]]
        self._parts = [(_title(sao), _title(name), self.number(i), street)
                       for i, (sao, name, street) in enumerate(zip(self.c["sao_text"], self.c["pao_text"], self.c["street"]))]

    def number(self, i: int) -> str:
        start, end = self.c["pao_start"][i], self.c["pao_end"][i]
        if not start:
            return ""
        return f"{start}{self.c['pao_suffix'][i]}" + (f"-{end}" if end else "")

    def clean_parts(self, i: int) -> tuple[str, str, str, str]:
        """(SAO, building name, number, street) as the gazetteer holds them, in title case."""
        return self._parts[i]

    def _flat_variant(self, i: int, sao: str, number: str, rng: np.random.Generator) -> tuple[str, str] | None:
        no, letter, floor = self.c["flat_no"][i], self.c["flat_letter"][i], self.c["flat_floor"][i]
        if not no:
            return None
        options: list[tuple[str, str]] = [(f"Apartment {no}", number), (f"Flat {no}", number)]
        if letter:
            options += [(f"Flat {letter}", number)]
            if number and not self.c["pao_end"][i] and not self.c["pao_suffix"][i]:  # "12A" + "A" is not "12AA"
                options += [("", f"{number}{letter}"), ("", f"{number}{letter}")]
        if floor in _ORDINAL_FLOOR and self.c["kind"][i] != 4:
            options += [(_ORDINAL_FLOOR[floor][int(rng.integers(2))], number)]
        options = [o for o in options if o != (sao, number)]
        return options[int(rng.integers(len(options)))] if options else None

    def render(self, units: np.ndarray, profile: ErrorProfile, style: AddressStyle,
               rng: np.random.Generator) -> Rendered:
        """Render ``units`` (row indices) in ``style`` with ``profile``'s errors."""
        n = len(units)
        draws = rng.random((n, 10))
        p = profile
        rates = np.array([p.flat_variant, p.building_name_only, p.abbreviation, p.typo, p.digits_transposed,
                          p.locality_missing, p.postcode_missing, p.postcode_wrong, p.punctuation, 0.5])
        flags = draws < rates
        lines_out, postcodes, errors = [], [], []
        for row, i in enumerate(units.tolist()):
            f = flags[row]
            applied: list[str] = []
            sao, name, number, street = self.clean_parts(i)
            if f[0]:
                variant = self._flat_variant(i, sao, number, rng)
                if variant:
                    sao, number = variant
                    applied.append("flat_variant")
            if f[1] and name and number:
                number = ""
                applied.append("building_name_only")
            if f[2]:
                short = abbreviate(street)
                if short != street:
                    street = short
                    applied.append("abbreviation")
            if f[3]:
                street = typo(street, rng)
                applied.append("typo")
            if f[4] and number:
                swapped = transpose_digits(number, rng)
                if swapped != number:
                    number = swapped
                    applied.append("digits_transposed")
            locality = self.locality
            if f[5]:
                locality = ""
                applied.append("locality_missing")
            postcode = self.c["postcode"][i]
            if f[6]:
                postcode = ""
                applied.append("postcode_missing")
            elif f[7]:
                postcode = mangle_postcode(postcode, self.neighbour[i], rng)
                applied.append("postcode_wrong")
            first = f"{number} {street}".strip()
            parts = [x for x in (sao, name, first, locality, self.town if style.town else "") if x]
            if style.lines == 0:
                text = ", ".join(parts + ([postcode] if style.postcode_in_line and postcode else []))
                out = [text]
            else:
                while len(parts) > style.lines:
                    parts[0:2] = [f"{parts[0]}, {parts[1]}" if not parts[0][-1:].isdigit() else f"{parts[0]} {parts[1]}"]
                out = parts + [""] * (style.lines - len(parts))
            if style.case == "upper":
                out = [x.upper() for x in out]
                postcode = postcode.upper()
            elif style.case == "lower":
                out = [x.lower() for x in out]
            if f[8]:
                out = [punctuate(x, rng) if x else x for x in out]
                if postcode and f[9]:
                    postcode = postcode_spacing(postcode, rng)
                applied.append("punctuation")
            lines_out.append(out)
            postcodes.append(postcode)
            errors.append(applied)
        return Rendered(lines=lines_out, postcode=postcodes, errors=errors)
