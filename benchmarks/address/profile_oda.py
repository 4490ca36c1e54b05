"""Where oda's address matcher spends its CPU on one test set, and how many candidates it scores.

    .venv/bin/python benchmarks/address/profile_oda.py SET_FOLDER OUT.parquet

Does the same work as ``run_oda.py`` (``oda match-addresses``), timing each step by the CPU time of
the whole process (all of DuckDB's threads): parsing the gazetteer, parsing each batch of
addresses, candidate generation (``cand``), hard constraints (``levels``), scoring (``pairs``,
``pairs_more``), the fallback test (``need``) and deciding. Prints a table of the steps, the
candidates per address (before and after the hard constraints), then the same JSON line as
``run_oda.py`` (so ``bench_address.py --reuse-oda`` can use the output when it is saved as
``benchmarks/out/address/results/SET_oda.json``).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

from oda.engine.duckdb_engine import DuckDBEngine
from oda.link.address import match as match_module

cpu: dict[str, float] = defaultdict(float)
rows: dict[str, int] = defaultdict(int)


def _step_of(dataset: str) -> str:
    # Working datasets are named link.addr_work_<step>_<run>.
    name = dataset.rsplit(".", 1)[-1].removeprefix("addr_work_")
    return name.rsplit("_", 1)[0]


def _timed(name, function):
    def wrapper(*args, **kwargs):
        started = time.process_time()
        result = function(*args, **kwargs)
        cpu[name(*args)] += time.process_time() - started
        return result
    return wrapper


original_create_as = DuckDBEngine.create_as


def create_as(self, dataset: str, query: str) -> int:
    started = time.process_time()
    count = original_create_as(self, dataset, query)
    step = _step_of(dataset)
    cpu[step] += time.process_time() - started
    rows[step] += count
    return count


DuckDBEngine.create_as = create_as
DuckDBEngine.query = _timed(lambda *a: "decide (SQL)", DuckDBEngine.query)
match_module.prepare_gazetteer = _timed(lambda *a: "parse gazetteer", match_module.prepare_gazetteer)
match_module.prepare_addresses = _timed(lambda *a: "parse addresses", match_module.prepare_addresses)
# The last step (tiers, review decisions, reasons) is SQL too now: it is part of "decide (SQL)".

from oda.cli.link_commands import match_files  # noqa: E402  (after the patches, which it must see)

folder, out = Path(sys.argv[1]), Path(sys.argv[2])
started = time.perf_counter()
summary = match_files(folder / "gazetteer.parquet", folder / "addresses.parquet", out, quiet=True)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
total_cpu = usage.ru_utime + usage.ru_stime
addresses = summary["total"]
print(f"{'step':<20} {'CPU s':>8} {'rows':>12}")
for step, spent in sorted(cpu.items(), key=lambda kv: -kv[1]):
    print(f"{step:<20} {spent:8.1f} {rows.get(step, 0):12,}")
print(f"{'everything else':<20} {total_cpu - sum(cpu.values()):8.1f}")
print(f"candidates per address: {rows['cand'] / addresses:.1f} before the hard constraints, "
      f"{rows['levels'] / addresses:.1f} after; fallback for {rows['need']:,} addresses")
print(json.dumps({"seconds": seconds, "cpu_seconds": total_cpu, "peak_mb": usage.ru_maxrss / 1024,
                  "candidates_per_address": rows["cand"] / addresses,
                  "pairs_per_address": rows["levels"] / addresses}))
