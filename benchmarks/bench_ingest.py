"""Ingest speed and memory on a synthetic borough, against DuckDB's own ``read_csv`` as the peer.

    python benchmarks/bench_ingest.py                   # 100,000 dwellings, seed 1, DuckDB and Spark
    python benchmarks/bench_ingest.py --properties 20000 --engines duckdb

Each measurement runs in its own subprocess so that peak memory (``ru_maxrss``) is that run's alone:

* **oda ingest** on DuckDB and on Spark (local mode): every source read, checked, loaded and
  quarantined (and standardised, once that stage exists), forced so nothing is skipped;
* **peer**: DuckDB's ``read_csv`` (all columns as text, no checks) loading the same CSV files into a
  DuckDB file — the floor for "just get the rows in". The ratio oda/peer on the CSV sources is the
  number to watch: it survives a noisy machine, an absolute time does not.

The borough comes from ``oda synth`` (or its Python API while the command is not registered); if
neither exists, a 1,000,000-row CSV extract is generated instead. Results go to
``benchmarks/results/ingest.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "ingest.md"


# ---------------------------------------------------------------------------------------------
# The borough
# ---------------------------------------------------------------------------------------------


def make_borough(out: Path, properties: int, seed: int) -> str:
    """Write the extracts and their oda.toml into ``out``; return how they were made."""
    if (out / "oda.toml").exists() and (out / ".bench-made").exists():
        return (out / ".bench-made").read_text().strip()
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "oda.cli.main", "synth", "--properties", str(properties), "--seed", str(seed),
               "--out", str(out)]
    made = subprocess.run(command, capture_output=True, text=True)
    how = f"`oda synth --properties {properties} --seed {seed}`"
    if made.returncode != 0:
        try:
            from oda.synth.borough import generate_borough
        except ImportError:
            how = _fallback_extract(out)
        else:
            generate_borough(out, properties=properties, seed=seed)
            how = f"`oda.synth.borough.generate_borough(properties={properties}, seed={seed})`"
    (out / ".bench-made").write_text(how + "\n")
    return how


def _fallback_extract(out: Path, rows: int = 1_000_000) -> str:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1)
    streets = ["High Street", "Station Road", "Church Lane", "Mill Road", "Victoria Road"]
    with (out / "people.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ref", "Forename", "Surname", "Address", "Postcode", "DOB", "Tenure"])
        for i in range(1, rows + 1):
            writer.writerow([f"P{i:07d}", rng.choice(["Ann", "Bob", "Zoë"]), f"Smith{i % 977}",
                             f"{i % 300} {rng.choice(streets)}, Flat {i % 9}", f"E{i % 20} {i % 10}AB",
                             f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1940 + i % 60}", rng.choice(["own", "rent"])])
    (out / "oda.toml").write_text(
        'name = "bench"\n[organisations.council]\nname = "Council"\n[agreements.share]\ntitle = "Sharing"\n'
        'parties = ["council"]\npurposes = ["bench"]\nlawful_basis = "public_task"\nretention_days = 30\n'
        '[link]\ngazetteer = "people"\n[sources.people]\norganisation = "council"\nagreement = "share"\n'
        'describes = "person"\npath = "people.csv"\nattributes = ["Tenure"]\n'
        'columns = { record_id = "Ref", first_name = "Forename", surname = "Surname", address = "Address", '
        'postcode = "Postcode", date_of_birth = "DOB" }\n', encoding="utf-8")
    return f"a generated {rows:,}-row CSV extract (`oda synth` was not available)"


def project_for(borough: Path, engine: str, work: Path) -> Path:
    """A copy of the borough's oda.toml whose engine is ``engine``, storing into ``work``."""
    import tomllib

    import tomli_w

    config = tomllib.loads((borough / "oda.toml").read_text(encoding="utf-8"))
    for source in config.get("sources", {}).values():
        if "path" in source:
            source["path"] = str((borough / source["path"]).resolve())
    config["engine"] = {"kind": engine, "database": str(work / "oda.duckdb"),
                        "spark_warehouse": str(work / "spark"), "spark_master": "local[2]"}
    work.mkdir(parents=True, exist_ok=True)
    (work / "oda.toml").write_text(tomli_w.dumps(config), encoding="utf-8")
    return work


# ---------------------------------------------------------------------------------------------
# Measurements (each in a child process)
# ---------------------------------------------------------------------------------------------


def _peak_mb() -> float:
    """Peak RSS of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peak_mb() -> float:
    """Peak RSS of this process's live child processes (the Spark JVM), in MB, read from /proc.

    (``RUSAGE_CHILDREN`` would count the parent's memory copied at fork, so it cannot be used.)
    """
    import os

    total = 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(os.getpid()) and "VmHWM" in fields:
            total += int(fields["VmHWM"].split()[0]) / 1024
    return total


def child_oda(project_dir: Path) -> dict:
    from oda.engine import open_engine
    from oda.ingest.load import ingest_source
    from oda.project.load import load_project
    from oda.runs import record_run

    project = load_project(project_dir)
    began = time.perf_counter()
    engine = open_engine(project)
    opened = time.perf_counter() - began
    per_source = {}
    with record_run(engine, project, "ingest") as run:
        for name, source in project.config.sources.items():
            started = time.perf_counter()
            steps_before = len(run.steps)
            result = ingest_source(engine, project, name, run, force=True)
            standardise = sum(step["seconds"] for step in run.steps[steps_before:] if step["step"] == "standardise")
            per_source[name] = {"rows": result.rows_read, "seconds": time.perf_counter() - started - standardise,
                                "standardise_seconds": standardise, "format": source.resolved_format,
                                "quarantined": result.rows_quarantined}
    children = _children_peak_mb()
    engine.close()
    return {"sources": per_source, "engine_start_seconds": opened, "rss_mb": _peak_mb(), "children_rss_mb": children}


def child_peer(project_dir: Path) -> dict:
    import duckdb

    from oda.ingest.sniff import sniff_encoding
    from oda.project.load import load_project

    project = load_project(project_dir)
    connection = duckdb.connect(str(project_dir / "peer.duckdb"))
    per_source = {}
    for name, source in project.config.sources.items():
        if source.resolved_format != "csv":
            continue
        path = project.resolve(source.path)
        started = time.perf_counter()
        encoding = sniff_encoding(path.read_bytes(), source=name, location=str(path), declared=source.encoding)
        duck_encoding = {"cp1252": "latin-1", "utf-8-sig": "utf-8"}.get(encoding, encoding)
        connection.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_csv(?, all_varchar = true, "
                           f"header = true, encoding = '{duck_encoding}')", [str(path)])
        rows = connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        per_source[name] = {"rows": rows, "seconds": time.perf_counter() - started, "format": "csv",
                            "quarantined": 0}
    connection.close()
    return {"sources": per_source, "engine_start_seconds": 0.0, "rss_mb": _peak_mb(), "children_rss_mb": 0.0}


def measure(kind: str, project_dir: Path) -> dict:
    command = [sys.executable, __file__, "--child", kind, str(project_dir)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1] if (done.stderr or done.stdout)
                else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds > 0 else "—"


def report(how: str, results: dict[str, dict], properties: int) -> str:
    lines = [
        "# Ingest benchmark",
        "",
        f"Borough: {how}. Machine: {_machine()}. Generated by `benchmarks/bench_ingest.py`; each row is a",
        "separate process (peak RSS is that process's own; for Spark the JVM's is shown separately).",
        "",
        "| run | sources | rows | ingest s | rows/s | CSV rows | CSV rows/s | CSV time vs peer | quarantined | "
        "peak RSS MB | JVM RSS MB | + standardise s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    peer = results.get("peer (DuckDB read_csv, no checks)", {})
    peer_csv_seconds = sum(s["seconds"] for s in peer.get("sources", {}).values())
    for label, result in results.items():
        label = f"{label} (earlier run)" if result.get("earlier_run") else label
        if "error" in result:
            lines.append(f"| {label} | failed: {result['error'][:150]} |" + " |" * 10)
            continue
        sources = result["sources"]
        rows = sum(s["rows"] for s in sources.values())
        seconds = sum(s["seconds"] for s in sources.values())
        csv_sources = {k: v for k, v in sources.items() if v["format"] == "csv"}
        csv_rows = sum(s["rows"] for s in csv_sources.values())
        csv_seconds = sum(s["seconds"] for s in csv_sources.values())
        ratio = f"{csv_seconds / peer_csv_seconds:.1f}×" if peer_csv_seconds else "—"
        quarantined = sum(s["quarantined"] for s in sources.values())
        jvm = f"{result['children_rss_mb']:,.0f}" if result["children_rss_mb"] > 1 else "—"
        standardise = sum(s.get("standardise_seconds", 0.0) for s in sources.values())
        lines.append(f"| {label} | {len(sources)} | {rows:,} | {seconds:.1f} | {_rate(rows, seconds)} | {csv_rows:,} | "
                     f"{_rate(csv_rows, csv_seconds)} | {ratio} | {quarantined:,} | {result['rss_mb']:,.0f} | {jvm} | "
                     f"{standardise:.1f} |")
    lines += ["", "Per source (seconds):", "", "| source | format | rows | " +
              " | ".join(results) + " |", "|---|---|---:|" + "---:|" * len(results)]
    names = max((list(r["sources"]) for r in results.values() if "sources" in r), key=len, default=[])
    for name in names:
        first = next(r["sources"][name] for r in results.values() if "sources" in r and name in r["sources"])
        cells = [f"{r['sources'][name]['seconds']:.2f}" if "sources" in r and name in r["sources"] else ""
                 for r in results.values()]
        lines.append(f"| {name} | {first['format']} | {first['rows']:,} | " + " | ".join(cells) + " |")
    lines += ["", "*ingest s* excludes interpreter and engine start-up (Spark's JVM start is not counted) and "
              "the standardisation that ingest runs in the same transaction (shown separately as *+ standardise "
              "s*); it includes hashing, reading, checking, writing raw.* and quarantine.* and meta.loads. "
              "*CSV time vs peer* is oda's ingest time on the CSV sources over DuckDB `read_csv`'s on the same "
              "files.", ""]
    if any(r.get("earlier_run") for r in results.values()):
        lines += ["Rows marked *(earlier run)* were kept from a previous invocation (`--merge`); their ratio is "
                  "against this run's peer, so on a busy machine it is only indicative.", ""]
    return "\n".join(lines)


def _machine() -> str:
    import os
    import platform

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores (load average at the end {load}: other work shares them), "
            f"Python {platform.python_version()}, {platform.machine()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--properties", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--work", type=Path, default=Path("/tmp/oda-bench-ingest"))
    parser.add_argument("--merge", action="store_true",
                        help="Keep the previous run's results for engines not measured this time.")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PROJECT"))
    args = parser.parse_args()
    if args.child:
        kind, project_dir = args.child
        result = child_peer(Path(project_dir)) if kind == "peer" else child_oda(Path(project_dir))
        print(json.dumps(result))
        return

    borough = args.work / f"borough-{args.properties}-{args.seed}"
    how = make_borough(borough, args.properties, args.seed)
    saved = args.work / "results.json"
    results: dict[str, dict] = json.loads(saved.read_text()) if args.merge and saved.exists() else {}
    for result in results.values():
        result["earlier_run"] = True  # what is measured again below replaces its entry
    results["peer (DuckDB read_csv, no checks)"] = measure("peer", project_for(borough, "duckdb", args.work / "peer"))
    for engine in args.engines.split(","):
        shutil.rmtree(args.work / engine, ignore_errors=True)
        project_dir = project_for(borough, engine, args.work / engine)
        results[f"oda ingest on {engine}"] = measure("oda", project_dir)
        print(f"{engine}: done", file=sys.stderr)
    saved.write_text(json.dumps(results, indent=1), encoding="utf-8")
    text = report(how, results, args.properties)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
