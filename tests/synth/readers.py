"""Read a generated borough's extracts the way a test needs them: as text, in their own encodings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from oda.synth.sources.catalog import BY_NAME


def read_source(root: Path, name: str) -> pd.DataFrame:
    """A source's rows as a DataFrame, decoded with the encoding and delimiter it declares."""
    spec = BY_NAME[name]
    path = root / spec.filename
    if spec.fmt == "parquet":
        return pq.read_table(path).to_pandas()
    if spec.fmt == "xlsx":
        return pd.read_excel(path, sheet_name=spec.sheet, dtype=object)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=spec.encoding, sep=spec.delimiter)


def read_truth(root: Path, name: str) -> pd.DataFrame:
    return pq.read_table(root / "truth" / f"{name}.parquet").to_pandas()
