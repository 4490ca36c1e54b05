"""Scoring benchmark: model, rules, complaint-driven practice and random at capacity = 2% of dwellings.

Runs the pipeline on a synthetic borough — synth → ingest → links → score → worklist → evaluate —
and prints the methods table against the borough's truth, with the exploration slice's estimate and
confidence interval beside the true rate. All methods come from the same run.

Links: ``--links pipeline`` (default) runs the product's own linking stage (``oda link``);
``--links matcher`` calls oda's address matcher directly on each source's address lines (what this
benchmark did before ``oda link`` existed); ``--links truth`` is a DEV-ONLY shortcut that copies the synthetic truth's record → UPRN links into
``link.address_matches`` (never used by the product; its figures say so).

    .venv/bin/python benchmarks/bench_scoring.py --properties 20000 --seed 7 --write
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

RESULTS = Path(__file__).parent / "results" / "scoring.md"
TARGETS = {"precision": 0.70, "random": 10.0, "complaints": 2.0, "rules": 1.5}


def links_from_truth(engine, folder: Path) -> int:
    """DEV ONLY: link.address_matches from the synthetic truth (what a perfect matcher would give)."""
    truth = pq.read_table(folder / "truth" / "record_uprn.parquet", columns=["source", "record_id", "uprn"])
    table = pa.table({
        "source": truth["source"], "record_id": truth["record_id"],
        "uprn": pa.array([None if u is None else str(u) for u in truth["uprn"].to_pylist()], pa.string()),
        "probability": pa.array([1.0] * truth.num_rows), "tier": pa.array(["exact"] * truth.num_rows),
    })
    return engine.write("link.address_matches", table)


def links_from_matcher(engine, project) -> int:
    """Match each source's address text to the gazetteer with oda's own matcher."""
    from oda.link.address.match import AddressMatcher

    gazetteer = engine.query(
        "SELECT CAST(uprn AS VARCHAR) AS uprn, address, postcode, parent_uprn, classification "
        f"FROM raw.{project.config.link.gazetteer}").to_pandas()
    matcher = AddressMatcher().fit(pa.Table.from_pandas(gazetteer, preserve_index=False))
    parts = []
    for name, source in project.config.sources.items():
        if name == project.config.link.gazetteer or not source.has_address:
            continue
        columns = engine.query(f"SELECT * FROM raw.{name} LIMIT 0").schema.names
        lines = [c for c in ("address", "address_line_1", "address_line_2", "address_line_3", "address_line_4",
                             "address_line_5") if c in columns]
        text = " || ', ' || ".join(f"coalesce({c}, '')" for c in lines)
        postcode = "postcode" if "postcode" in columns else "''"
        uprn = "uprn" if "uprn" in columns else "NULL"
        messy = engine.query(f"SELECT record_id AS id, {text} AS address, {postcode} AS postcode, "
                             f"CAST({uprn} AS VARCHAR) AS uprn FROM raw.{name}")
        result = matcher.match(messy)
        parts.append(pa.table({
            "source": pa.array([name] * result.num_rows), "record_id": result["id"].cast(pa.string()),
            "uprn": result["uprn"].cast(pa.string()), "probability": result["probability"].cast(pa.float64()),
            "tier": result["tier"].cast(pa.string())}))
    matcher.close()
    return engine.write("link.address_matches", pa.concat_tables(parts))


def run(properties: int, seed: int, links: str, workdir: Path) -> dict:
    from oda.act.worklist import publish_worklist
    from oda.cli.main import main as oda
    from oda.engine import open_engine
    from oda.evaluate.evaluation import evaluate_project
    from oda.project.load import load_project
    from oda.runs import record_run
    from oda.score.stage import score_project
    from oda.synth.borough import generate_borough

    folder = workdir / f"borough_{properties}_{seed}"
    timings = {}
    started = time.perf_counter()
    if not (folder / "oda.toml").exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate_borough(folder, properties=properties, seed=seed)
    timings["synth"] = time.perf_counter() - started
    database = folder / ".oda" / "oda.duckdb"
    if database.exists():
        database.unlink()
    started = time.perf_counter()
    if oda(["ingest", str(folder)]) != 0:
        raise SystemExit("ingest failed")
    timings["ingest"] = time.perf_counter() - started
    project = load_project(folder)
    capacity = max(1, round(0.02 * properties))
    with open_engine(project) as engine:
        started = time.perf_counter()
        if links == "truth":
            linked = links_from_truth(engine, folder)
        elif links == "matcher":
            linked = links_from_matcher(engine, project)
    if links == "pipeline":
        if oda(["link", str(folder)]) != 0:
            raise SystemExit("oda link failed")
    with open_engine(project) as engine:
        if links == "pipeline":
            linked = engine.count("link.address_matches")
        timings["links"] = time.perf_counter() - started
        started = time.perf_counter()
        with record_run(engine, project, "score") as recorder:
            scored = score_project(engine, project, run=recorder)
        timings["score"] = time.perf_counter() - started
        publish_worklist(engine, project.config.worklist, as_of=scored.as_of, capacity=capacity)
        started = time.perf_counter()
        result = evaluate_project(engine, project, truth_dir=folder, capacity=capacity)
        timings["evaluate"] = time.perf_counter() - started
    result["bench"] = {"properties": properties, "seed": seed, "links": links, "linked_records": linked,
                       "timings_s": {k: round(v, 1) for k, v in timings.items()},
                       "label_counts": scored.label_counts}
    return result


def table(result: dict) -> str:
    methods = result["methods"]
    lines = ["| method | precision at capacity (truth) | recall at capacity (truth) | hits | already-known HMOs "
             "picked | precision on new finds |", "|---|---|---|---|---|---|"]
    for name, m in methods.items():
        new = m.get("precision_new_finds")
        lines.append(f"| {name} | {100 * m['precision_at_capacity']:.1f}% | {100 * m['recall_at_capacity']:.1f}% | "
                     f"{m['hits']} | {m.get('already_known_hmos', '–')} | "
                     f"{'–' if new is None else f'{100 * new:.1f}%'} |")
    ratios = methods["model"]["ratios"]
    e = result["exploration"]
    checks = {
        "model precision ≥ 70%": methods["model"]["precision_at_capacity"] >= TARGETS["precision"],
        "≥ 10× random": (ratios["random"] or 0) >= TARGETS["random"],
        "≥ 2× complaint-driven": (ratios["complaints"] or 0) >= TARGETS["complaints"],
        "≥ 1.5× rules": (ratios["rules"] or 0) >= TARGETS["rules"],
        "true rate inside the exploration CI": bool(e.get("truth_within_ci")),
    }
    lines += ["", "Model vs others: " + ", ".join(f"×{v:.2f} {k}" for k, v in ratios.items() if v), "",
              f"Exploration slice: {e['hits']}/{e['visited']} = {100 * e['estimate']:.1f}% "
              f"(95% Wilson CI {100 * e['ci_low']:.1f}–{100 * e['ci_high']:.1f}%), true rate among eligible "
              f"{100 * e['true_rate']:.1f}%; outcomes from {e['outcomes_from']}.", "",
              "| target | met |", "|---|---|"]
    lines += [f"| {k} | {'yes' if v else 'NO'} |" for k, v in checks.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--properties", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--links", choices=("pipeline", "matcher", "truth"), default="pipeline")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/oda-bench-scoring"))
    parser.add_argument("--write", action="store_true", help=f"Write {RESULTS}.")
    parser.add_argument("--json", type=Path, help="Also write the full evaluation JSON here.")
    args = parser.parse_args(argv)
    result = run(args.properties, args.seed, args.links, args.workdir)
    bench = result["bench"]
    command = ("  .venv/bin/python benchmarks/bench_scoring.py " + " ".join(sys.argv[1:] if argv is None else argv))
    header = (f"# Scoring benchmark\n\nSynthetic borough: {args.properties:,} dwellings, seed {args.seed}; capacity "
              f"{result['capacity']} visits (2% of dwellings) among {result['eligible']:,} eligible properties "
              f"({result['true_hmos_eligible']} true HMOs among them). Links: "
              + {"truth": "**DEV-ONLY truth links** (a perfect matcher), not the product's linking",
                 "matcher": "oda's address matcher called directly on each source's address lines",
                 "pipeline": "the product's linking stage, `oda link`"}[args.links]
              + f" ({bench['linked_records']:,} records). "
              f"Labels seen: {json.dumps(bench['label_counts'])}. Timings (s): {json.dumps(bench['timings_s'])}.\n\n"
              f"Command:\n\n{command}\n\n")
    text = header + table(result) + "\n"
    print(text)
    if args.write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")
    if args.json:
        from oda.evaluate.evaluation import to_json

        args.json.write_text(to_json(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
