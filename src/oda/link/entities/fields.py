"""Field kinds: how each kind of column is cleaned before linkage and compared during it.

A *field* is one input column and the *kind* of thing it holds. The kind decides two things, declared
here once for both engines: the SQL that normalises the raw value (and derives helper columns such as a
name's nickname forms or an address's tokens), and the Splink comparison — an ordered list of levels
from "the same" to "nothing alike" whose weights Splink estimates without labels.

Standard column names map to kinds (``first_name`` is a forename, ``dob`` a date...); any other column
joins with ``--field NAME=KIND`` where KIND is one of :data:`USER_KINDS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import splink.comparison_level_library as cll
import splink.comparison_library as cl

from oda.errors import LinkError

Kind = Literal[
    "forename", "middle_name", "surname", "title", "name", "org_name", "date", "postcode", "address", "id",
    "uprn", "email", "phone", "text", "period_start", "period_end",
]
UserKind = Literal["name", "date", "postcode", "address", "id", "text"]
USER_KINDS: tuple[str, ...] = get_args(UserKind)
Entity = Literal["person", "business"]

#: The standard field names an input may carry, and what kind each one is, per entity.
STANDARD_FIELDS: dict[str, dict[str, Kind]] = {
    "person": {
        "first_name": "forename", "middle_name": "middle_name", "surname": "surname", "title": "title",
        "dob": "date", "postcode": "postcode", "address": "address", "uprn": "uprn", "email": "email",
        "phone": "phone", "resident_from": "period_start", "resident_to": "period_end",
    },
    "business": {
        "name": "org_name", "company_number": "id", "postcode": "postcode", "address": "address",
        "uprn": "uprn", "email": "email", "phone": "phone",
    },
}

# Words that say what sort of organisation a name belongs to rather than which one it is.
_ORG_NOISE = r"\b(ltd|limited|plc|llp|lp|the|co|company|inc|uk|cic|trading as|t a)\b"


@dataclass(frozen=True)
class Field:
    """One input column and the kind of value it holds."""

    column: str
    kind: Kind

    @property
    def helper_columns(self) -> tuple[str, ...]:
        """Derived columns the comparison needs beside the cleaned value itself."""
        if self.kind == "forename":
            return (f"{self.column}__nick",)
        if self.kind in ("address", "org_name"):
            return (f"{self.column}__tokens",)
        if self.kind == "email":
            return (f"{self.column}__local",)
        return ()


def parse_field_option(option: str) -> Field:
    """``"nhs_number=id"`` → ``Field("nhs_number", "id")``, refusing unknown kinds."""
    name, sep, kind = option.partition("=")
    name, kind = name.strip(), kind.strip().lower()
    if not sep or not name or kind not in USER_KINDS:
        raise LinkError(
            f"--field `{option}` is not NAME=KIND with KIND one of {', '.join(USER_KINDS)}; "
            "for example --field nhs_number=id"
        )
    return Field(name, kind)  # type: ignore[arg-type]


def fields_for(columns: list[str], entity: Entity, extra: list[Field] = ()) -> list[Field]:
    """The fields to compare: the standard ones present in ``columns`` plus the ``extra`` ones."""
    found = [Field(c, k) for c, k in STANDARD_FIELDS[entity].items() if c in columns]
    for field in extra:
        if field.column not in columns:
            raise LinkError(
                f"--field `{field.column}` names a column no input has (columns: {', '.join(sorted(columns))}). "
                "Check the spelling or drop the option"
            )
        found = [f for f in found if f.column != field.column] + [field]
    if not found:
        raise LinkError(
            f"no field to compare {entity} records on: the inputs have none of "
            f"{', '.join(STANDARD_FIELDS[entity])}. Rename columns to these names or add --field NAME=KIND"
        )
    return found


# -- cleaning ----------------------------------------------------------------------------------
def _s(expr: str) -> str:
    return f"CAST({expr} AS VARCHAR)"


def _words(expr: str) -> str:
    """Lower case, apostrophes dropped, anything else that is not a letter or digit a single space."""
    text = f"regexp_replace(lower(strip_accents({_s(expr)})), '[''`’]', '', 'g')"
    return f"nullif(trim(regexp_replace({text}, '[^a-z0-9]+', ' ', 'g')), '')"


def _letters(expr: str) -> str:
    text = f"regexp_replace(lower(strip_accents({_s(expr)})), '[''`’]', '', 'g')"
    return f"nullif(trim(regexp_replace({text}, '[^a-z]+', ' ', 'g')), '')"


def _date(expr: str) -> str:
    """A date as ``YYYYMMDD`` text, from a DATE or from the common written forms; NULL otherwise."""
    v = f"trim({_s(expr)})"
    return (
        f"CASE WHEN regexp_full_match({v}, '\\d{{8}}') THEN {v} "
        f"WHEN regexp_full_match({v}, '\\d{{4}}-\\d{{2}}-\\d{{2}}.*') THEN replace(substr({v}, 1, 10), '-', '') "
        f"WHEN regexp_full_match({v}, '\\d{{1,2}}[/.-]\\d{{1,2}}[/.-]\\d{{4}}') THEN "
        f"  lpad(split_part(replace(replace({v}, '.', '/'), '-', '/'), '/', 3), 4, '0') || "
        f"  lpad(split_part(replace(replace({v}, '.', '/'), '-', '/'), '/', 2), 2, '0') || "
        f"  lpad(split_part(replace(replace({v}, '.', '/'), '-', '/'), '/', 1), 2, '0') "
        f"ELSE NULL END"
    )


#: Titles that say the person's sex; others (Dr, Mx, Rev...) say nothing and are left out.
_TITLE_SEX = {"mr": "m", "sir": "m", "mrs": "f", "miss": "f", "ms": "f", "lady": "f", "dame": "f"}


def _title_sex(expr: str) -> str:
    """``m`` or ``f`` from a title (its first word, so "Mrs." and "MRS J SMITH" both read ``f``)."""
    first = f"split_part({_letters(expr)}, ' ', 1)"
    cases = " ".join(f"WHEN '{t}' THEN '{s}'" for t, s in _TITLE_SEX.items())
    return f"CASE {first} {cases} ELSE NULL END"


def clean_sql(field: Field, expr: str) -> dict[str, str]:
    """SQL (DuckDB) for the cleaned column and its helpers, keyed by output column name.

    The forename's nickname column is filled by a join in :mod:`oda.link.entities.prepare`.
    """
    c = field.column
    if field.kind == "middle_name":
        # An empty value is kept as '' ("the source records no middle name"), apart from NULL
        # ("this source has no middle names"): within a register that lists them, one record with a
        # middle name and one without are more likely two people (a father and son) than one.
        return {c: f"CASE WHEN {_s(expr)} IS NULL THEN NULL ELSE coalesce({_letters(expr)}, '') END"}
    if field.kind == "title":
        return {c: _title_sex(expr)}
    if field.kind in ("period_start", "period_end"):
        # Days since 1970 as a number: the comparison then needs only arithmetic, the same in every dialect.
        day = f"try_strptime({_date(expr)}, '%Y%m%d')"
        return {c: f"CAST(date_diff('day', DATE '1970-01-01', CAST({day} AS DATE)) AS INTEGER)"}
    if field.kind in ("forename", "surname", "name"):
        return {c: _letters(expr)}
    if field.kind == "org_name":
        # "MR J SMITH T/A GOLDEN CAFE" is the business Golden Cafe: keep what follows "trading as".
        traded = f"regexp_replace(lower({_s(expr)}), '^.*\\b(t/a|t\\.a\\.|trading as)\\s+', '')"
        cleaned = f"replace({traded}, '&', ' and ')"
        cleaned = f"regexp_replace({_words(cleaned)}, '{_ORG_NOISE}', ' ', 'g')"
        cleaned = f"nullif(trim(regexp_replace({cleaned}, ' +', ' ', 'g')), '')"
        return {c: cleaned, f"{c}__tokens": f"list_distinct(string_split({cleaned}, ' '))"}
    if field.kind == "date":
        return {c: _date(expr)}
    if field.kind == "postcode":
        return {c: f"nullif(regexp_replace(upper({_s(expr)}), '[^A-Z0-9]', '', 'g'), '')"}
    if field.kind == "address":
        words = _words(expr)
        return {c: words, f"{c}__tokens": f"list_distinct(string_split({words}, ' '))"}
    if field.kind in ("id", "uprn"):
        cleaned = f"nullif(regexp_replace(upper({_s(expr)}), '[^A-Z0-9]', '', 'g'), '')"
        if c == "company_number" or field.kind == "uprn":
            cleaned = f"nullif(ltrim({cleaned}, '0'), '')"
        return {c: cleaned}
    if field.kind == "email":
        cleaned = f"nullif(lower(trim({_s(expr)})), '')"
        return {c: cleaned, f"{c}__local": f"replace(split_part({cleaned}, '@', 1), '.', '')"}
    if field.kind == "phone":
        return {c: f"nullif(right(regexp_replace({_s(expr)}, '[^0-9]', '', 'g'), 10), '')"}
    return {c: _words(expr)}


# -- comparing ---------------------------------------------------------------------------------
def _level(sql: str, label: str) -> cll.CustomLevel:
    return cll.CustomLevel(sql, label_for_charts=label)


#: Standard columns that all say where a record is; compared together as one ``place`` comparison,
#: because a household shares all three and counting them apart would count one fact three times.
PLACE_COLUMNS = ("uprn", "address", "postcode")


def place_fields(fields: list[Field]) -> list[Field]:
    """The standard place fields present, when there are two or more of them to combine."""
    found = [f for f in fields if f.column in PLACE_COLUMNS and f.kind in ("uprn", "address", "postcode")]
    return found if len(found) >= 2 else []


def place_comparison(fields: list[Field]) -> cl.CustomComparison:
    """One comparison of where two records are: the same property (UPRN) first, then address and
    postcode together, then either alone."""
    cols = {f.kind: f.column for f in place_fields(fields)}
    uprn, address, postcode = cols.get("uprn"), cols.get("address"), cols.get("postcode")
    null = cll.And(*[cll.NullLevel(c) for c in cols.values()]).configure(
        is_null_level=True, label_for_charts="no place on one side")
    levels: list = [null]
    if uprn:
        levels.append(cll.ExactMatchLevel(uprn).configure(label_for_charts="same property (UPRN)"))
    if address and postcode:
        levels += [
            cll.And(cll.ExactMatchLevel(address), cll.ExactMatchLevel(postcode)).configure(
                label_for_charts="same address and postcode"),
            cll.And(cll.ExactMatchLevel(postcode), cll.JaroWinklerLevel(address, 0.9)).configure(
                label_for_charts="similar address, same postcode"),
        ]
    if postcode:
        levels.append(cll.ExactMatchLevel(postcode).configure(label_for_charts="same postcode"))
    if address:
        levels.append(cll.JaroWinklerLevel(address, 0.9).configure(label_for_charts="similar address"))
    if postcode:
        levels.append(cll.DamerauLevenshteinLevel(postcode, 1).configure(label_for_charts="postcode one typo apart"))
    co_residents = co_resident_column(fields)
    if co_residents:
        levels.append(_shared(co_residents, 1, "different places, someone lived with them at both"))
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(levels, output_column_name="place",
                               comparison_description="place: " + ", ".join(cols.values()))




def co_resident_column(fields: list[Field]) -> str | None:
    """The derived column listing each person record's co-residents, when the fields allow it.

    A household moves together: when a person's records at two different properties share a
    co-resident (someone else's full name at the same UPRN over an overlapping period), the two
    are one person who moved with their household, not two namesakes. Needs the UPRN, the
    residence period's start and both names; :mod:`oda.link.entities.prepare` fills the column.
    """
    kinds = {f.kind: f.column for f in fields}
    if not all(k in kinds for k in ("uprn", "period_start", "forename", "surname")):
        return None
    return f"{kinds['uprn']}__co_residents"


def period_fields(fields: list[Field]) -> tuple[Field, Field] | None:
    """The residence period's start and end fields, when both are present along with a place."""
    start = next((f for f in fields if f.kind == "period_start"), None)
    end = next((f for f in fields if f.kind == "period_end"), None)
    has_place = any(f.kind in ("uprn", "postcode") for f in fields)
    return (start, end) if start and end and has_place else None


def period_comparison(fields: list[Field]) -> cl.CustomComparison:
    """Where each record was *when*: two records at different places over the same long stretch of
    time are two people (namesakes), one after the other are one person who moved.

    A record's period is when the source saw the person there (a register year, a liability, a
    claim). Sources lag a move by months (the register is annual, a liability ends late) and a
    register keeps stale entries, so the levels grade the overlap (300 days: two entries of one
    register year) and Splink learns how often one person's records show each.
    """
    start, end = period_fields(fields)  # type: ignore[misc]
    s, e = start.column, end.column
    cols = {f.kind: f.column for f in fields}
    # "The same place" is read generously (one UPRN, one postcode, or three address words shared):
    # postcodes and UPRNs are missing or wrong on a share of records, and a same-place pair is the
    # place comparison's evidence anyway, so here it says nothing (weight 0).
    same_place = [cll.ExactMatchLevel(cols[k]) for k in ("uprn", "postcode") if k in cols]
    if "address" in cols:
        same_place.append(cll.ArrayIntersectLevel(f"{cols['address']}__tokens", 3))
    # A period with no end (a liability never closed) is read as a moment: when it began.
    overlap = f"(least(coalesce({e}_l, {s}_l), coalesce({e}_r, {s}_r)) - greatest({s}_l, {s}_r))"
    levels = [
        cll.Or(cll.NullLevel(s), cll.NullLevel(s), *same_place).configure(
            is_null_level=True, label_for_charts="no period, or the same place"),
        _level(f"{overlap} >= 300", "different places at once for most of a year or more"),
        _level(f"{overlap} >= 0", "different places at once for a few months"),
        cll.ElseLevel().configure(label_for_charts="different places one after the other"),
    ]
    return cl.CustomComparison(levels, output_column_name="period",
                               comparison_description=f"residence period: {s} to {e} against place")


def _shared(column: str, at_least: int, label: str) -> cll.ArrayIntersectLevel:
    """Arrays sharing ``at_least`` elements, written by Splink in each engine's own dialect."""
    return cll.ArrayIntersectLevel(column, at_least).configure(label_for_charts=label)


def comparison(field: Field, fields: list[Field]) -> cl.CustomComparison:
    """The Splink comparison for one field, most alike level first."""
    c = field.column
    levels: list = [cll.NullLevel(c)]
    names = {f.kind: f.column for f in fields}
    if field.kind in ("forename", "surname"):
        other = names.get("surname" if field.kind == "forename" else "forename")
        levels.append(cll.ExactMatchLevel(c, term_frequency_adjustments=True))
        if other:
            levels.append(_level(f"{c}_l = {other}_r AND {c}_r = {other}_l", "forename and surname swapped"))
        if field.kind == "forename":
            levels.append(_shared(f"{c}__nick", 1, "nickname of the same name"))
        levels.append(cll.JaroWinklerLevel(c, 0.92))
        if field.kind == "forename":
            levels.append(_level(
                f"(length({c}_l) = 1 OR length({c}_r) = 1) AND substr({c}_l, 1, 1) = substr({c}_r, 1, 1)",
                "initial agrees"))
        else:
            levels.append(cll.DamerauLevenshteinLevel(c, 2))
            # "Cook" and "Cook Birch": a surname added at marriage or double-barrelled in one source.
            levels.append(_level(
                f"(strpos({c}_l, ' ') > 0 OR strpos({c}_r, ' ') > 0) AND "
                f"(' ' || {c}_l || ' ' LIKE '% ' || {c}_r || ' %' OR ' ' || {c}_r || ' ' LIKE '% ' || {c}_l || ' %')",
                "one surname is a word of the other"))
        levels.append(cll.JaroWinklerLevel(c, 0.8))
    elif field.kind == "middle_name":
        levels += [
            _level(f"{c}_l = '' AND {c}_r = ''", "neither has a middle name"),
            _level(f"{c}_l = {c}_r", "same middle names"),
            _level(f"{c}_l = '' OR {c}_r = ''", "middle name on one side only"),
            _level(f"substr({c}_l, 1, 1) = substr({c}_r, 1, 1) AND (length({c}_l) = 1 OR length({c}_r) = 1 "
                   f"OR strpos({c}_l, {c}_r) = 1 OR strpos({c}_r, {c}_l) = 1)", "initial or first middle name agrees"),
        ]
    elif field.kind == "title":
        levels.append(_level(f"{c}_l = {c}_r", "titles of the same sex"))
    elif field.kind == "org_name":
        # No term-frequency adjustment: a name seen on many records is usually one business seen many
        # times (a landlord company billed at forty properties), not a common name shared by strangers.
        levels += [
            cll.ExactMatchLevel(c),
            cll.JaroWinklerLevel(c, 0.94),
            _shared(f"{c}__tokens", 2, "two or more words shared"),
            cll.JaroWinklerLevel(c, 0.85),
            _shared(f"{c}__tokens", 1, "a word shared"),
        ]
    elif field.kind == "name":
        levels += [cll.ExactMatchLevel(c, term_frequency_adjustments=True), cll.JaroWinklerLevel(c, 0.92),
                   cll.JaroWinklerLevel(c, 0.8)]
    elif field.kind == "date":
        levels += [
            cll.ExactMatchLevel(c),
            cll.DamerauLevenshteinLevel(c, 1),
            _level(f"substr({c}_l, 1, 4) = substr({c}_r, 1, 4) AND substr({c}_l, 5, 2) = substr({c}_r, 7, 2) "
                   f"AND substr({c}_l, 7, 2) = substr({c}_r, 5, 2)", "day and month swapped"),
            _level(f"substr({c}_l, 1, 6) = substr({c}_r, 1, 6)", "same year and month"),
            _level(f"substr({c}_l, 1, 4) = substr({c}_r, 1, 4)", "same year"),
        ]
    elif field.kind == "postcode":
        levels += [
            cll.ExactMatchLevel(c, term_frequency_adjustments=True),
            cll.DamerauLevenshteinLevel(c, 1),
            _level(f"length({c}_l) >= 5 AND substr({c}_l, 1, length({c}_l) - 2) = substr({c}_r, 1, length({c}_r) - 2)",
                   "same postcode sector"),
            cll.DamerauLevenshteinLevel(c, 2),
        ]
    elif field.kind == "address":
        levels += [
            cll.ExactMatchLevel(c, term_frequency_adjustments=True),
            cll.JaroWinklerLevel(c, 0.92),
            _shared(f"{c}__tokens", 3, "three or more words shared"),
            cll.JaroWinklerLevel(c, 0.8),
        ]
    elif field.kind == "id":
        levels += [cll.ExactMatchLevel(c), cll.DamerauLevenshteinLevel(c, 1), cll.DamerauLevenshteinLevel(c, 2)]
    elif field.kind == "uprn":
        levels += [cll.ExactMatchLevel(c)]
    elif field.kind == "email":
        levels += [cll.ExactMatchLevel(c), _level(f"{c}__local_l = {c}__local_r", "same name before the @"),
                   cll.JaroWinklerLevel(c, 0.88)]
    elif field.kind == "phone":
        levels += [cll.ExactMatchLevel(c), cll.DamerauLevenshteinLevel(c, 1)]
    else:
        levels += [cll.ExactMatchLevel(c, term_frequency_adjustments=True), cll.JaroWinklerLevel(c, 0.9)]
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(levels, output_column_name=c, comparison_description=f"{c} ({field.kind})")
