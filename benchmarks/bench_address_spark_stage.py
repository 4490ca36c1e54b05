"""The link stage on Spark: wall time, driver memory and rows brought to the driver, two code versions side by side.

    .venv/bin/python benchmarks/bench_address_spark_stage.py PROJECT --src DIR [--src DIR ...] [--repeat 3]

PROJECT is an ingested project whose ``[engine] kind = "spark"`` (e.g. ``oda synth --properties 10000``,
append ``[engine]\\nkind = "spark"`` to its oda.toml, ``oda ingest``). Each ``--src`` is a checkout's
``src`` folder (e.g. a copy taken before a change, and this checkout's): every run is a fresh process
that runs ``link_addresses`` of that version on the project's Spark engine and reports

- wall seconds of the stage,
- the Python driver's peak RSS (``ru_maxrss``) and the Spark JVM's peak RSS (``VmHWM``),
- rows and address rows that ``engine.query`` (and so ``engine.read``) brought to the driver, and how many
  addresses the driver process parsed itself (``parse_addresses`` spied in this process only).

The table shows medians over ``--repeat`` runs, the versions alternating so that load on a shared
machine falls on both alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from oda.engine import open_engine
from oda.project.load import load_project
import oda.link.address.prepare as prepare
from oda.link.address.stage import link_addresses

parsed_on_driver = [0]
original = prepare.parse_addresses
def spy(texts, postcodes):
    parsed_on_driver[0] += len(texts)
    return original(texts, postcodes)
prepare.parse_addresses = spy
try:  # versions that parse the gazetteer on the executors import the parser there too
    import oda.link.address.gazetteer_spark as gazetteer_spark
    gazetteer_spark.parse_addresses = spy
except ImportError:
    pass

project = load_project(sys.argv[2])
config = project.config
with open_engine(project) as engine:
    collected = {"rows": 0, "address_rows": 0}
    query = engine.query  # SparkEngine.read goes through query: counted once, here
    def counted(sql):
        table = query(sql)
        collected["rows"] += table.num_rows
        if {"address", "address_line_1"} & set(table.column_names):
            collected["address_rows"] += table.num_rows
        return table
    engine.query = counted
    engine.count("stg." + config.link.gazetteer)  # start the session before the clock
    started = time.perf_counter()
    summary = link_addresses(engine, config.link.gazetteer,
                             {name: source.has_address for name, source in config.sources.items()})
    wall = time.perf_counter() - started
    jvm = engine.session._jvm.java.lang.ProcessHandle.current().pid()
    hwm = [l for l in open(f"/proc/{jvm}/status") if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({"wall": wall, "driver_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "jvm_rss_mb": int(hwm) / 1024, "records": sum(s["records"] for s in summary.values()),
                  "matched": sum(s["exact"] + s["confident"] for s in summary.values()),
                  "parsed_on_driver": parsed_on_driver[0], **collected}))
"""


def measure(src: Path, project: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(src), str(project)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the run of {src} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--src", type=Path, action="append", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs: dict[Path, list[dict]] = {src: [] for src in args.src}
    for _ in range(args.repeat):
        for src in args.src:
            runs[src].append(measure(src, args.project))
            print(f"# {src}: {json.dumps(runs[src][-1])}", file=sys.stderr)
    print(f"project: {args.project}, medians of {args.repeat} runs")
    print("| code | records | matched | wall s | driver peak RSS MB | JVM peak RSS MB | rows to driver "
          "| address rows to driver | addresses parsed on driver |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for src, measured in runs.items():
        def median(key: str) -> float:
            return statistics.median(r[key] for r in measured)
        print(f"| {src} | {measured[0]['records']:,} | {measured[0]['matched']:,} | {median('wall'):.1f} "
              f"| {median('driver_rss_mb'):.0f} | {median('jvm_rss_mb'):.0f} | {median('rows'):,.0f} "
              f"| {median('address_rows'):,.0f} | {median('parsed_on_driver'):,.0f} |")


if __name__ == "__main__":
    main()
