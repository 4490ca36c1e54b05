"""Reading and writing the matcher's CSV and Parquet files (the standalone command's boundary)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from oda.errors import LinkError

_PARQUET = (".parquet", ".pq")


def read_table(path: Path, what: str) -> pa.Table:
    """A CSV (every column read as text, so UPRNs and postcodes keep their zeros) or Parquet file."""
    if not path.exists():
        raise LinkError(f"the {what} file {path} does not exist; check the path")
    try:
        if path.suffix.lower() in _PARQUET:
            return pq.read_table(path)
        header = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16)).column_names
        types = {name: pa.string() for name in header}
        return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types=types,
                                                                          strings_can_be_null=False))
    except (pa.ArrowInvalid, OSError) as exc:
        raise LinkError(f"cannot read the {what} file {path}: {exc}. Give a CSV with a header row, or Parquet") from None


def write_table(table: pa.Table, path: Path) -> None:
    """Parquet when ``path`` ends in .parquet/.pq, otherwise CSV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in _PARQUET:
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)
