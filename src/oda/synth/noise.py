"""The mistakes people make typing addresses, names and dates, one small function per kind.

Each function takes a clean value and a random generator and returns the damaged value; callers
decide *whether* to damage a record (from the source's :class:`~oda.synth.config.ErrorProfile`)
and record which errors they applied, so the truth can say exactly what went wrong where.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from oda.synth.namebank import ABBREVIATIONS, NICKNAMES

_KEYBOARD = {c: n for c, n in zip("qwertyuiopasdfghjklzxcvbnm", "wqeryutoipsadgfhjklkxcvbnm")}
_OCR = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8"}
_WORD_RE = {long: re.compile(rf"\b{long}\b", re.IGNORECASE) for long in ABBREVIATIONS}


def typo(text: str, rng: np.random.Generator) -> str:
    """One keystroke slip inside a word of three or more letters: drop, swap, double or mis-hit."""
    spots = [m.start() + 1 + int(rng.integers(max(1, len(m.group()) - 2)))
             for m in re.finditer(r"[A-Za-z]{3,}", text)]
    if not spots:
        return text
    i = spots[int(rng.integers(len(spots)))]
    op = int(rng.integers(4))
    if op == 0:
        return text[:i] + text[i + 1:]
    if op == 1 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if op == 2:
        return text[:i] + text[i] + text[i:]
    ch = text[i]
    swapped = _KEYBOARD.get(ch.lower(), ch)
    return text[:i] + (swapped.upper() if ch.isupper() else swapped) + text[i + 1:]


def abbreviate(text: str) -> str:
    """Road → Rd, Street → St, House → Ho, ... keeping the case style of the word."""
    for long, short in ABBREVIATIONS.items():
        text = _WORD_RE[long].sub(lambda m, s=short: s.upper() if m.group().isupper() else s, text)
    return text


def transpose_digits(text: str, rng: np.random.Generator) -> str:
    """Swap two adjacent digits of the first multi-digit number ("123" → "132")."""
    match = re.search(r"\d{2,}", text)
    if not match:
        return text
    digits = match.group()
    i = int(rng.integers(len(digits) - 1))
    if digits[i] == digits[i + 1]:
        return text
    swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
    return text[:match.start()] + swapped + text[match.end():]


def mangle_postcode(postcode: str, neighbour: str, rng: np.random.Generator) -> str:
    """A wrong postcode: the next one along the street, two characters swapped, or O/0 confusion."""
    choice = rng.random()
    if choice < 0.5 and neighbour and neighbour != postcode:
        return neighbour
    out, inn = postcode.split(" ") if " " in postcode else (postcode[:-3], postcode[-3:])
    if choice < 0.8:
        return f"{out} {inn[0]}{inn[2]}{inn[1]}" if inn[1] != inn[2] else f"{out} {inn[0]}{inn[1]}A"
    i = int(rng.integers(len(inn)))
    return f"{out} {inn[:i]}{_OCR.get(inn[i], inn[i])}{inn[i + 1:]}"


def postcode_spacing(postcode: str, rng: np.random.Generator) -> str:
    """Postcodes as typed: without the space, in lower case, or with a double space."""
    pick = rng.random()
    if pick < 0.5:
        return postcode.replace(" ", "")
    if pick < 0.8:
        return postcode.lower()
    return postcode.replace(" ", "  ")


def punctuate(text: str, rng: np.random.Generator) -> str:
    """Case and punctuation habits: commas dropped, full stops added, all lower case, hyphen lost."""
    pick = int(rng.integers(4))
    if pick == 0:
        return text.replace(",", "")
    if pick == 1:
        return re.sub(r"\b(Rd|St|Ave|Flt|RD|ST|AVE)\b", r"\1.", text).replace(" ,", ",") + ("." if rng.random() < 0.3 else "")
    if pick == 2:
        return text.lower()
    return text.replace("-", " ").replace(",", " ,")


def name_variant(first: str, middle: str, surname: str, other_surname: str,
                 rng: np.random.Generator) -> tuple[str, str, str, str]:
    """One way a name differs between systems; returns (first, middle, surname, kind)."""
    options = ["initial", "spelling", "swapped", "married", "no_middle" if middle else "spelling"]
    if first in NICKNAMES:
        options += ["nickname", "nickname"]
    kind = options[int(rng.integers(len(options)))]
    if kind == "nickname":
        nicks = NICKNAMES[first]
        return nicks[int(rng.integers(len(nicks)))], middle, surname, kind
    if kind == "initial":
        return first[:1], middle[:1], surname, kind
    if kind == "spelling":
        if rng.random() < 0.5:
            return typo(first, rng), middle, surname, kind
        return first, middle, typo(surname, rng), kind
    if kind == "swapped":
        return surname, "", first, kind
    if kind == "married":
        return first, middle, (f"{surname}-{other_surname}" if rng.random() < 0.5 else other_surname), kind
    return first, "", surname, kind


ALTERNATIVE_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y", "%d %b %Y", "%d.%m.%Y")


def format_dates(ordinals: np.ndarray, fmt: str, variant_rate: float, rng: np.random.Generator,
                 missing: np.ndarray | None = None) -> tuple[list[str], np.ndarray]:
    """Dates as text in ``fmt``; a share in another format. Returns (texts, which were varied)."""
    varied = rng.random(len(ordinals)) < variant_rate
    alternative = rng.integers(len(ALTERNATIVE_DATE_FORMATS), size=len(ordinals))
    texts = []
    for i, value in enumerate(ordinals.tolist()):
        if missing is not None and missing[i]:
            texts.append("")
            varied[i] = False
            continue
        day = dt.date.fromordinal(int(value))
        use = ALTERNATIVE_DATE_FORMATS[alternative[i]] if varied[i] else fmt
        if use == fmt:
            varied[i] = False
        texts.append(day.strftime(use))
    return texts, varied
