"""Write the address benchmark's test sets: gazetteers and messy addresses with their true UPRNs.

    .venv/bin/python benchmarks/address/make_test_set.py [--out benchmarks/out/address] [--sizes 10000,100000]

Sets (each a folder with ``gazetteer.parquet`` — uprn, address, postcode, parent_uprn — and
``addresses.parquet`` — id, address, postcode — and ``truth.parquet`` — id, true_uprn, errors):

* ``borough_<source>``: the synthetic borough's address-bearing extracts, one per source error
  profile (council tax, electoral register, housing benefit, environmental-health requests, HMO
  licences), about 10k addresses each;
* ``pcnoise_<n>``: ``n`` addresses against a gazetteer of about ``n`` units, with typos,
  abbreviations, flat-format variants, and 15% missing and 15% wrong postcodes (the peer's
  weakest conditions), at every requested size.

Seeds are fixed and differ from the calibration's (424242+), so the weights never see a test set.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyarrow.parquet as pq

from oda.link.address.synthetic import make_set

SOURCES = ("council_tax", "electoral_register", "housing_benefit", "env_health_requests", "hmo_licences")


def write(folder: Path, gazetteer, messy) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(gazetteer, folder / "gazetteer.parquet")
    pq.write_table(messy.select(["id", "address", "postcode"]), folder / "addresses.parquet")
    pq.write_table(messy.select(["id", "true_uprn", "errors"]), folder / "truth.parquet")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "out" / "address")
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--borough", type=int, default=9000, help="properties in the borough sets")
    args = parser.parse_args()
    for k, source in enumerate(SOURCES):
        folder = args.out / f"borough_{source}"
        if not (folder / "truth.parquet").exists():
            write(folder, *make_set(args.borough, 1000 + k, profile=source))
            print(f"wrote {folder}")
    for size in (int(s) for s in args.sizes.split(",") if s):
        folder = args.out / f"pcnoise_{size}"
        if not (folder / "truth.parquet").exists():
            # About 1.1 units per property (flats' parent shells); one messy address per unit.
            write(folder, *make_set(int(size / 1.08), 2000 + size % 997, profile="housing_benefit",
                                    postcode_missing=0.15, postcode_wrong=0.15))
            print(f"wrote {folder}")


if __name__ == "__main__":
    main()
