"""Match a source's declared columns to the headers its file actually has.

Headers match ignoring case and surrounding or repeated spaces (``" Post  code "`` is ``Post Code``),
but not ignoring spaces altogether: ``PostCode`` is a different header, and the error says so and
suggests it. Every missing column is reported at once.

>>> normalise_header("  Post   CODE ")
'post code'
>>> snake_case("Tenure Type (2021)")
'tenure_type_2021'
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from oda.errors import IngestError
from oda.ingest.extract import Extract, column_key
from oda.project.models import SourceDefinition

RESERVED = ("_row_number", "_postcode_valid", "_source")


@dataclass(frozen=True)
class ColumnPlan:
    """One column of ``raw.<source>``: its name there, and where it comes from in the extract."""

    output: str
    key: str | None
    header: str | None
    kind: Literal["field", "attribute"]


def normalise_header(text: str) -> str:
    return " ".join(text.split()).casefold()


def snake_case(text: str) -> str:
    name = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    if not name:
        return "column"
    return f"col_{name}" if name[0].isdigit() else name


def plan_columns(name: str, source: SourceDefinition, extract: Extract) -> list[ColumnPlan]:
    """The columns of ``raw.<name>`` in order: record_id, the mapped fields, then the attributes.

    Raises :class:`IngestError` naming every required column the file lacks, with the nearest header.
    """
    by_name: dict[str, list[int]] = {}
    for index, header in enumerate(extract.header):
        by_name.setdefault(normalise_header(header), []).append(index)

    problems: list[str] = []
    plan: list[ColumnPlan] = []

    def locate(wanted: str) -> int | None:
        matches = by_name.get(normalise_header(wanted), [])
        if len(matches) > 1:
            problems.append(
                f"Source `{name}` has {len(matches)} columns called `{wanted}` (columns "
                f"{', '.join(str(i + 1) for i in matches)}); rename them in the extract so each is unique."
            )
        return matches[0] if matches else None

    fields = ["record_id"] + [f for f in source.columns if f != "record_id"]
    for field in fields:
        wanted = source.columns[field]  # type: ignore[index]
        index = locate(wanted)
        if index is None and field not in source.optional:
            extra = "" if field == "record_id" else f" or add {field} to optional"
            problems.append(
                f"Source `{name}` is missing column `{wanted}` (mapped from {field}). "
                f"{_nearest(wanted, extract.header)}Fix [sources.{name}.columns]{extra}."
            )
        plan.append(ColumnPlan(field, column_key(index) if index is not None else None,
                               extract.header[index] if index is not None else None, "field"))

    taken = {p.output for p in plan} | set(RESERVED)
    for attribute in source.attributes:
        index = locate(attribute)
        output = snake_case(attribute)
        if index is None:
            problems.append(
                f"Source `{name}` is missing attribute column `{attribute}`. "
                f"{_nearest(attribute, extract.header)}Fix [sources.{name}].attributes."
            )
        elif output in taken:
            problems.append(
                f"Source `{name}`: attribute `{attribute}` would be stored as `{output}`, which is already a "
                f"column of raw.{name}; map it under [sources.{name}.columns] instead, or drop it from attributes."
            )
        taken.add(output)
        plan.append(ColumnPlan(output, column_key(index) if index is not None else None, attribute, "attribute"))

    if problems:
        problems.append(f"(file: {extract.location}; its headers are: "
                        f"{', '.join(f'`{h}`' for h in extract.header)})")
        raise IngestError("\n".join(problems))
    return plan


def _nearest(wanted: str, headers: list[str]) -> str:
    def squash(text: str) -> str:
        return re.sub(r"[\s_\-.]+", "", text).casefold()

    squashed = {squash(h): h for h in headers}
    match = difflib.get_close_matches(squash(wanted), list(squashed), n=1, cutoff=0.6)
    return f"Nearest header: `{squashed[match[0]]}`. " if match else "No similar header. "
