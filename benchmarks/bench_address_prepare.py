"""CPU time of address parsing and preparation (the Python half of `oda match-addresses`).

    .venv/bin/python benchmarks/bench_address_prepare.py SET_FOLDER [SET_FOLDER ...] [--repeat 3] [--src DIR]

Each SET_FOLDER holds ``gazetteer.parquet`` and ``addresses.parquet`` (as written by
``benchmarks/address/make_test_set.py``). Every measurement runs in a fresh process (no warm
caches) and times ``prepare_gazetteer`` and ``prepare_addresses`` in CPU seconds; the table shows
the median of ``--repeat`` runs. ``--src`` points at another checkout's ``src`` folder to measure
that version of the code the same way (e.g. a ``git worktree`` of the previous commit), so that
before and after are measured by one script on one machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
import pyarrow.parquet as pq
from oda.link.address.prepare import prepare_addresses, prepare_gazetteer
folder = sys.argv[2]
gazetteer = pq.read_table(folder + "/gazetteer.parquet")
addresses = pq.read_table(folder + "/addresses.parquet")
started = time.process_time()
prepared = prepare_gazetteer(gazetteer)
middle = time.process_time()
prepare_addresses(addresses, prepared)
done = time.process_time()
print(json.dumps({"gazetteer": middle - started, "addresses": done - middle,
                  "rows": gazetteer.num_rows + addresses.num_rows}))
"""


def measure(folder: Path, src: Path) -> dict[str, float]:
    output = subprocess.run([sys.executable, "-c", _CHILD, str(src), str(folder)], check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", type=Path, default=Path(__file__).resolve().parents[1] / "src")
    args = parser.parse_args()
    print(f"code: {args.src}")
    print("| set | rows parsed | gazetteer CPU s | addresses CPU s | total CPU s (median) | rows per CPU s |")
    print("|---|---:|---:|---:|---:|---:|")
    for folder in args.sets:
        runs = [measure(folder, args.src) for _ in range(args.repeat)]
        total = statistics.median(r["gazetteer"] + r["addresses"] for r in runs)
        print(f"| {folder.name} | {runs[0]['rows']:,} | {statistics.median(r['gazetteer'] for r in runs):.3f} "
              f"| {statistics.median(r['addresses'] for r in runs):.3f} | {total:.3f} "
              f"| {runs[0]['rows'] / total:,.0f} |")


if __name__ == "__main__":
    main()
