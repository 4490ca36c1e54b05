"""People's names, ready to compare: one case, no accents, no titles, no stray punctuation.

The rules, in order: ``ß Æ Œ Þ`` spelt out and accents dropped (``Siobhán`` → ``SIOBHAN``);
upper case; apostrophes removed so ``O'Brien`` and ``OBrien`` agree (``OBRIEN``); every kind of dash
becomes a hyphen and hyphenated names stay joined (``SMITH-JONES``); other punctuation becomes a
space; spaces collapse. Titles (``MR``, ``DR``, ``REV``...) are taken off the front.

A full name is split into first name, middle names and surname: the first word, the last word
together with any particles before it (``VAN DER BERG``, ``DE LA CRUZ``), and what is between. A
comma means "surname first": ``"Smith, John Paul"`` is John Paul Smith.

Every function returns a SQL expression built through the engine's dialect.
"""

from __future__ import annotations

import unicodedata

from oda.engine.base import Dialect
from oda.standardise.text import as_text

TITLES = ("MRS", "MR", "MS", "MISS", "MX", "DR", "REVD", "REV", "PROF", "SIR", "DAME", "LADY", "LORD")
"""Titles taken off the front of a name (longest first, so ``MRS`` is not read as ``MR``)."""

SURNAME_PARTICLES = (
    "VAN", "VON", "DE", "DA", "DI", "DEL", "DELLA", "DER", "DEN", "DU", "LA", "LE", "ST", "BIN", "BINTI",
    "BEN", "AL", "EL", "AP", "O", "MC", "MAC",
)
"""Words that belong to the surname that follows them."""

_JOINED_PREFIXES = ("O", "MC", "MAC")
"""Surname prefixes written both apart and together (``O BRIEN``/``OBRIEN``): always joined."""

_SPELT_OUT = {"ß": "SS", "ẞ": "SS", "Æ": "AE", "æ": "AE", "Œ": "OE", "œ": "OE", "Þ": "TH", "þ": "TH"}
_NO_DECOMPOSITION = {"Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ł": "L", "ł": "l",
                     "Ħ": "H", "ħ": "h", "Ŧ": "T", "ŧ": "t", "ı": "i"}


def _accent_table() -> tuple[str, str]:
    """Latin letters with accents (Latin-1 and Extended-A/B) and the plain letter each becomes."""
    source, target = [], []
    for code in range(0xC0, 0x250):
        char = chr(code)
        if char in _SPELT_OUT:
            continue
        plain = _NO_DECOMPOSITION.get(char) or unicodedata.normalize("NFD", char)[0]
        if plain != char and plain.isascii() and plain.isalpha():
            source.append(char)
            target.append(plain)
    return "".join(source), "".join(target)


_ACCENTED, _PLAIN = _accent_table()
_APOSTROPHES = "['\u2019\u2018`\u00b4\u02bc]"
_DASHES = "[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]"
_TITLE_WORDS = "|".join(TITLES)


def clean_name(dialect: Dialect, expr: str) -> str:
    """``expr`` as a comparable name, NULL when nothing is left: ``" o'brien-smith, "`` → ``OBRIEN-SMITH``."""
    d = dialect
    text = as_text(expr)
    for char, spelt in _SPELT_OUT.items():
        text = f"replace({text}, {d.string_literal(char)}, {d.string_literal(spelt)})"
    text = f"translate({text}, {d.string_literal(_ACCENTED)}, {d.string_literal(_PLAIN)})"
    text = d.regexp_replace_all(text, "\\p{M}", "")
    text = d.regexp_replace_all(f"upper({text})", _APOSTROPHES, "")
    text = d.regexp_replace_all(text, _DASHES, "-")
    text = d.regexp_replace_all(text, "[^\\p{L}\\p{N}-]+", " ")
    text = d.regexp_replace_all(text, " *-[ -]*", "-")
    text = d.regexp_replace_all(text, "^[ -]+|[ -]+$", "")
    return f"nullif({text}, '')"


def surname_first_reordered(dialect: Dialect, expr: str) -> str:
    """``"Smith, John"`` → ``"John Smith"``; names without a comma are unchanged (raw text in and out)."""
    given = dialect.regexp_extract(expr, "^[^,]*,(.*)$", 1)
    family = dialect.regexp_extract(expr, "^([^,]*),", 1)
    return f"(CASE WHEN {dialect.regexp_matches(expr, ',')} THEN coalesce({given}, '') || ' ' || coalesce({family}, '') ELSE {as_text(expr)} END)"


def strip_title(dialect: Dialect, cleaned: str) -> str:
    """A cleaned name without leading titles: ``REV DR JOHN SMITH`` → ``JOHN SMITH``."""
    return dialect.regexp_replace_all(cleaned, f"^(({_TITLE_WORDS}) )+", "")


def leading_title(dialect: Dialect, cleaned: str) -> str:
    """The first title at the front of a cleaned name (``MRS`` from ``MRS JANE DOE``), else NULL."""
    return dialect.regexp_extract(cleaned, f"^({_TITLE_WORDS}) ", 1)


def clean_title(dialect: Dialect, expr: str) -> str:
    """A title field cleaned like a name (``"Mrs."`` → ``MRS``)."""
    return clean_name(dialect, expr)


def first_word(dialect: Dialect, name: str) -> str:
    """The first word of a name with more than one word, else NULL."""
    return dialect.regexp_extract(name, "^([^ ]+) ", 1)


def after_first_word(dialect: Dialect, name: str) -> str:
    """Everything after the first word, NULL for a one-word name."""
    return dialect.regexp_extract(name, "^[^ ]+ (.+)$", 1)


def surname_of(dialect: Dialect, words: str) -> str:
    """The last word of ``words`` with the particles before it: ``PAUL VAN DER BERG`` → ``VAN DER BERG``.

    Particles are kept as written; :func:`join_surname_prefix` then joins ``O BRIEN``.
    """
    particles = "|".join(SURNAME_PARTICLES)
    return dialect.regexp_extract(words, f"(?:^| )((?:(?:{particles}) )*[^ ]+)$", 1)


def before_surname(dialect: Dialect, words: str, surname_expr: str) -> str:
    """What precedes the surname in ``words`` (the middle names), NULL if nothing does."""
    return f"nullif(trim(substr({words}, 1, length({words}) - length({surname_expr}))), '')"


def join_surname_prefix(dialect: Dialect, surname: str) -> str:
    """``O BRIEN`` → ``OBRIEN``, ``MC DONALD`` → ``MCDONALD``, as they are written together elsewhere."""
    return dialect.regexp_replace_all(surname, f"^({'|'.join(_JOINED_PREFIXES)}) ([^ ])", "\\1\\2")


def initial(name: str) -> str:
    """The first letter of a name, NULL for a NULL name."""
    return f"substr({name}, 1, 1)"
