"""The `resolve` stage of `oda run` on a synthetic borough, beside the bare library on the same borough.

The stage reads the staged sources (``stg.*``) with addresses entering as matched UPRNs, resolves
people and businesses, writes clusters, explained pairs, the model and the single views. The peer is
:func:`oda.link.entities.resolve` called directly on the raw extracts, as
``benchmarks/bench_entities.py --borough`` does (no UPRN join, no datasets written, no views): the
difference is what the stage costs on top of resolution, and what reading the staged, UPRN-matched
records gains in accuracy. Each run is its own process, so peak memory and CPU time are its own (CPU
seconds = user + system of that process, all threads; the library's include reading the extracts).
Rows of earlier sessions kept under "## Earlier runs" in the results file stay there.

    .venv/bin/python benchmarks/bench_entity_stage.py BOROUGH   # BOROUGH from `oda synth`, ingested and linked
                                                                # (`oda ingest BOROUGH && oda link BOROUGH`)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "entity_stage.md"
EARLIER = "## Earlier runs"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 1)


def stage_job(folder: Path) -> list[dict]:
    from oda.engine import open_engine
    from oda.link.entities.quality import entity_quality
    from oda.link.entities.stage import resolve_project
    from oda.project.load import load_project

    project = load_project(folder)
    with open_engine(project) as engine:
        start = time.perf_counter()
        summaries = resolve_project(engine, project.config)
        seconds = time.perf_counter() - start
        peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        cpu = _cpu()
        reports = entity_quality(engine, folder / "truth")
    return [{"method": "oda run's resolve stage (incl. writing datasets and views)", "entity": entity,
             "records": summaries[entity].records, "seconds": round(seconds, 1),
             "resolve_seconds": round(summaries[entity].seconds["total"], 1), "peak_mb": peak, "cpu": cpu,
             "accuracy": reports[entity]["accuracy"]} for entity in ("person", "business")]


def library_job(folder: Path, entity: str) -> dict:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_entities import borough_job

    row = borough_job(folder, entity)
    return {"method": "resolve() on the raw extracts (bench_entities.py)", "entity": entity,
            "records": int(row["dataset"].split("(")[1].split()[0].replace(",", "")), "seconds": row["seconds"],
            "resolve_seconds": row["seconds"], "peak_mb": row["peak_mb"], "cpu": _cpu(),
            "accuracy": {"pairwise": row["pairwise"], "clusters": row["cluster_exact"]}}


def _row(r: dict) -> str:
    p, c = r["accuracy"]["pairwise"], r["accuracy"]["clusters"]
    return (f"| {r['method']} | {r['entity']} | {r['records']:,} | {p['precision']:.4f} / {p['recall']:.4f} / "
            f"{p['f1']:.4f} | {c['precision']:.4f} / {c['recall']:.4f} / {c['f1']:.4f} | {r['resolve_seconds']:.1f} | "
            f"{r['seconds']:.1f} | {r.get('cpu', 0):.1f} | {r['peak_mb']:,} |")


def _run(*args: str) -> object:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["stage"]:
        print(json.dumps(stage_job(Path(sys.argv[2]))))
        return
    if sys.argv[1:2] == ["library"]:
        print(json.dumps(library_job(Path(sys.argv[2]), sys.argv[3])))
        return
    folder = Path(sys.argv[1])
    rows = list(_run("stage", str(folder)))
    rows += [_run("library", str(folder), entity) for entity in ("person", "business")]
    for r in rows:
        print(_row(r), flush=True)
    stage_total = rows[0]["seconds"]
    library_total = sum(r["seconds"] for r in rows[2:])
    lines = [
        f"# The resolve stage on synthetic borough `{folder.name}`", "",
        f"Command: `.venv/bin/python benchmarks/bench_entity_stage.py {folder}` (the borough generated with "
        "`oda synth`, then `oda ingest` and `oda link`). Accuracy against the borough's truth; records naming two "
        "people (joint liability) are left out of the scoring, as in bench_entities.py. The stage links at the "
        "project's `[link] person_threshold` and `business_threshold` (0.5 by default, as the library); the library at its default "
        "0.5. The stage reads people from every source that names them (eight, including joint records' second "
        "persons and company officers) and businesses from six, with every field their mapping declares (title, middle "
        "names, date of birth, residence periods from `[sources.X.entities]`); the library's script reads three and "
        "four. "
        "Seconds are wall-clock on a shared two-core machine: compare the ratio.", "",
        "| method | entity | records | pairwise P / R / F1 | exact-cluster P / R / F1 | resolve seconds | "
        "seconds | CPU s | peak MB |", "|---|---|---|---|---|---|---|---|---|",
        *[_row(r) for r in rows], "",
        f"Stage seconds cover both entities (reading stg.*, resolving, writing clusters, explained pairs, models and "
        f"the four single views): {stage_total:.1f} s against {library_total:.1f} s for the library alone on both "
        f"entities ({stage_total / library_total:.2f}×); CPU s is the process's user + system time (both entities "
        f"for the stage).", "",
    ]
    if RESULTS.exists() and EARLIER in RESULTS.read_text(encoding="utf-8"):
        lines += [EARLIER + RESULTS.read_text(encoding="utf-8").split(EARLIER, 1)[1].rstrip("\n"), ""]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
