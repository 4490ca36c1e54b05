"""Reading resolution inputs and writing its outputs: CSV or Parquet, chosen by the file's suffix."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pv
import pyarrow.parquet as pq

from oda.errors import LinkError

SUFFIXES = (".csv", ".parquet", ".pq")


def read_table(path: str | Path) -> pa.Table:
    """A CSV (every column read as text, so postcodes and phone numbers keep their leading zeros)
    or Parquet file."""
    path = Path(path)
    if not path.is_file():
        raise LinkError(f"input `{path}` does not exist. Check the path")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header = pv.open_csv(path).schema.names
        return pv.read_csv(path, convert_options=pv.ConvertOptions(
            column_types={c: pa.string() for c in header}, strings_can_be_null=True))
    if suffix in (".parquet", ".pq"):
        return pq.read_table(path)
    raise LinkError(f"input `{path}` is neither CSV nor Parquet (suffix `{suffix}`). "
                    f"Use a file ending in {', '.join(SUFFIXES)}")


def write_table(table: pa.Table, path: str | Path) -> None:
    """Write ``table`` as CSV or Parquet, by ``path``'s suffix, creating its folder."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise LinkError(f"output `{path}` must end in {', '.join(SUFFIXES)} (got `{suffix or 'no suffix'}`)")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        pv.write_csv(table, path)
    else:
        pq.write_table(table, path)
