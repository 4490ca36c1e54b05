"""How fast `oda synth` generates a borough, and how much memory it needs, at 10k, 100k and 1M dwellings.

Each size runs in its own subprocess so that its peak resident memory (``ru_maxrss`` from
``os.wait4``) is its own. The peer, timed in the same run, is pandas writing the same number of
rows (ten short text columns) to one CSV file: the bare cost of putting that many records on disk,
with no simulation, errors or truth. The ratio survives a busy machine better than the seconds do.

    python benchmarks/bench_synth.py                       # 10k, 100k, 1M
    python benchmarks/bench_synth.py --sizes 10000 --write  # also save benchmarks/results/synth.md
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "synth.md"

_GENERATE = """
import json, sys
from oda.synth import generate_borough
summary = generate_borough(sys.argv[1], properties=int(sys.argv[2]), seed=1)
print(json.dumps({"records": summary.total_records, "units": summary.units, "hmo": summary.hmo_prevalence,
                  "hit": summary.complaint_hit_rate}))
"""

_PEER = """
import sys, numpy as np, pandas as pd
rows = int(sys.argv[2])
rng = np.random.default_rng(0)
words = np.array(["ACACIA ROAD", "FLAT 2", "LONDON", "E21 4AB", "Smith", "John", "12/03/2021", "Y", "B", "100021"])
chunk = 500_000
with open(sys.argv[1], "w") as out:
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        frame = pd.DataFrame({f"c{i}": words[rng.integers(len(words), size=n)] for i in range(10)})
        frame.to_csv(out, index=False, header=start == 0)
print("{}")
"""


def _run(code: str, *args: str) -> tuple[dict, float, float, float]:
    """Run ``code`` in a fresh interpreter; returns (its JSON output, wall s, CPU s, peak RSS MB)."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, env=env)
    output = child.stdout.read() if child.stdout else b"{}"
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    if status != 0:
        raise SystemExit(f"benchmark child failed with status {status}")
    return json.loads(output or b"{}"), wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--write", action="store_true", help=f"also write the table to {RESULTS}")
    options = parser.parse_args()
    lines = [f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start "
             f"(shared with other jobs; CPU seconds are the steadier figure). Seed 1, default error rates.", "",
             "| dwellings | source records | wall s | CPU s | records per CPU s | peak RSS MB | peer: pandas to_csv of as many rows, CPU s | synth / peer |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    print("\n".join(lines), flush=True)
    for size in (int(s) for s in options.sizes.split(",")):
        workdir = Path(tempfile.mkdtemp(prefix="bench_synth_"))
        try:
            info, wall, cpu, rss = _run(_GENERATE, str(workdir / "borough"), str(size))
            _, _, peer_cpu, _ = _run(_PEER, str(workdir / "peer.csv"), str(info["records"]))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        line = (f"| {size:,} | {info['records']:,} | {wall:.1f} | {cpu:.1f} | {info['records'] / cpu:,.0f} | "
                f"{rss:.0f} | {peer_cpu:.1f} | {cpu / peer_cpu:.1f}x |")
        lines.append(line)
        print(line, flush=True)
    lines += ["", "HMO prevalence and the complaint-led inspection hit rate at the largest size: "
              f"{info['hmo']:.1%} and {info['hit']:.1%}."]
    print(lines[-1])
    if options.write:
        RESULTS.write_text("# `oda synth` generation rate\n\nMeasured by `python benchmarks/bench_synth.py --write`.\n\n"
                           + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
