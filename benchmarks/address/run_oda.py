"""Run oda's address matcher on one test set (the same work as `oda match-addresses`).

    .venv/bin/python benchmarks/address/run_oda.py SET_FOLDER OUT.parquet

Prints one JSON line: wall seconds, CPU seconds (all threads), peak memory (MB).
"""

import json
import resource
import sys
import time
from pathlib import Path

from oda.cli.link_commands import match_files

folder, out = Path(sys.argv[1]), Path(sys.argv[2])
started = time.perf_counter()
match_files(folder / "gazetteer.parquet", folder / "addresses.parquet", out, quiet=True)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}))
