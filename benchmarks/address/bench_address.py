"""Address matching: oda against the Ministry of Justice's uk-address-matcher, same data, same run.

    .venv/bin/python benchmarks/address/bench_address.py [--sizes 10000,100000] [--sets borough,pcnoise]
                                                         [--peer-max 100000] [--peer-sample 10000,50000]

Creates ``benchmarks/.venv-uam`` (uk-address-matcher pins older Splink and DuckDB) if it is missing,
writes the test sets (``make_test_set.py``) if they are missing, runs each matcher in its own
process (``run_oda.py``, ``run_uam.py``) one after the other, and prints precision, recall,
addresses per second and peak memory, then writes ``benchmarks/results/address.md``.

Precision = correct / matched; recall = correct / all addresses (every address has a true UPRN).
oda's "matched" are its ``exact`` and ``confident`` tiers (``review`` is not counted as matched).
For the peer we report its default output and, to be generous, the best recall it reaches at
>= 99.5% precision over any threshold on its match weight and distinguishability (chosen with the
truth, which a user would not have).

Sets larger than ``--peer-max`` (the 1M set: the peer would take many hours on two cores) get a row
for oda on every address, and *sampled* rows where both matchers run on the same seeded random
sample of each ``--peer-sample`` size against the set's **full** gazetteer (``<set>_sample<N>``, its
gazetteer a link to the set's): accuracy and cost at the full gazetteer's scale, like for like. A
sample's time includes preparing the whole gazetteer once, which dominates at 10k or 50k addresses;
from two sample sizes the peer's CPU time on the whole set is extrapolated (fixed cost + cost per
address, a straight line through the two) and set against oda's measured one.

Each run is a separate process under ``/usr/bin/time -v`` when it is there: its CPU seconds (user +
system) and peak memory (maximum resident set size) are the kernel's, for the whole process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
OUT = ROOT / "benchmarks" / "out" / "address"
UAM_VENV = ROOT / "benchmarks" / ".venv-uam"
RESULTS = ROOT / "benchmarks" / "results" / "address.md"
SAMPLE_SEED = 20261126
"""Seed of the random sample of a large set's addresses (fixed: every run samples the same addresses)."""
GNU_TIME = Path("/usr/bin/time")


def ensure_uam() -> Path:
    python = UAM_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(UAM_VENV)], check=True)
        # uk-address-matcher needs Splink 4 and DuckDB 1 (oda's own venv has Splink 5 and DuckDB 2).
        subprocess.run([str(python), "-m", "pip", "install", "-q", "uk-address-matcher", "splink<5", "duckdb<2"],
                       check=True)
    return python


def _time_v(stderr: str) -> dict:
    """CPU seconds (user + system) and peak memory (MB) from ``/usr/bin/time -v``'s report."""
    found = {}
    for line in stderr.splitlines():
        name, _, value = line.strip().rpartition(": ")
        if name in ("User time (seconds)", "System time (seconds)", "Maximum resident set size (kbytes)"):
            found[name] = float(value)
    if len(found) < 3:
        return {}
    return {"cpu_seconds": found["User time (seconds)"] + found["System time (seconds)"],
            "peak_mb": found["Maximum resident set size (kbytes)"] / 1024, "measured_by": "/usr/bin/time -v"}


def run(python: Path, script: str, folder: Path, out: Path) -> dict:
    """Run one matcher on one set in its own process; its JSON line, with the CPU time and peak
    memory of ``/usr/bin/time -v`` (whole process) in place of the script's own when available."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    command = [str(python), str(HERE / script), str(folder), str(out)]
    if GNU_TIME.exists():
        command = [str(GNU_TIME), "-v", *command]
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode:
        raise RuntimeError(f"{script} failed on {folder}:\n{done.stderr[-3000:]}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), **_time_v(done.stderr)}


def sample_set(folder: Path, n: int) -> Path:
    """A set of ``n`` of ``folder``'s addresses (seeded random sample) with the **full** gazetteer
    (linked, not copied): ``<folder>_sample<n>``. Written once; reused after."""
    sampled = folder.with_name(f"{folder.name}_sample{n}")
    if (sampled / "truth.parquet").exists():
        return sampled
    sampled.mkdir(parents=True, exist_ok=True)
    addresses = pq.read_table(folder / "addresses.parquet")
    truth = pq.read_table(folder / "truth.parquet")
    keep = np.sort(np.random.default_rng(SAMPLE_SEED).choice(addresses.num_rows, size=n, replace=False))
    chosen = addresses.take(keep)
    if not pc.all(pc.equal(truth.column("id").take(keep), chosen.column("id"))).as_py():
        raise RuntimeError(f"{folder}: addresses.parquet and truth.parquet are not in the same order; "
                           "delete the folder and rerun make_test_set.py")
    pq.write_table(chosen, sampled / "addresses.parquet")
    pq.write_table(truth.take(keep), sampled / "truth.parquet")
    link = sampled / "gazetteer.parquet"
    if not link.exists():
        link.symlink_to((folder / "gazetteer.parquet").resolve())
    return sampled


def score(truth: dict[int, int], predicted: dict[int, int]) -> tuple[float, float]:
    correct = sum(truth.get(i) == u for i, u in predicted.items())
    return (correct / len(predicted) if predicted else 0.0), correct / len(truth)


def peer_best(truth: dict[int, int], table) -> tuple[float, float, str]:
    """The peer's best recall at >= 99.5% precision over thresholds on weight and distinguishability."""
    rows = [r for r in table.to_pylist() if r["resolved_canonical_id"] is not None]
    ids = np.array([int(r["unique_id"]) for r in rows])
    right = np.array([truth.get(int(r["unique_id"])) == int(r["resolved_canonical_id"]) for r in rows])
    weight = np.array([np.inf if r["match_weight"] is None else r["match_weight"] for r in rows])
    dist = np.array([np.inf if r["distinguishability"] is None else r["distinguishability"] for r in rows])
    best = (0.0, 0.0, "none reaches 99.5%")
    for w in (-20, -10, -5, 0, 2, 5, 8, 10, 15, 20):
        for d in (0, 1, 2, 3, 5, 8, 10, 15):
            keep = (weight >= w) & (dist >= d)
            if keep.sum() == 0:
                continue
            precision = right[keep].mean()
            recall = right[keep].sum() / len(truth)
            if precision >= 0.995 and recall > best[1]:
                best = (float(precision), float(recall), f"weight>={w}, dist>={d}")
    del ids
    return best


def bench_set(folder: Path, uam_python: Path, scratch: Path, *, peer: bool = True, reuse_oda: bool = False) -> dict:
    truth_table = pq.read_table(folder / "truth.parquet")
    truth = dict(zip(truth_table.column("id").to_pylist(), truth_table.column("true_uprn").to_pylist()))
    row: dict = {"set": folder.name, "n": len(truth), "of": None,
                 "gazetteer": pq.read_metadata(folder / "gazetteer.parquet").num_rows}
    # --reuse-oda: take oda's output and timings from an earlier run_oda.py of the same set (for the
    # 1M set, where one run takes most of an hour on a shared machine).
    measured = scratch / f"{folder.name}_oda.json"
    if reuse_oda and measured.exists() and (scratch / f"{folder.name}_oda.parquet").exists():
        oda_run = json.loads(measured.read_text())
    else:
        oda_run = run(Path(sys.executable), "run_oda.py", folder, scratch / f"{folder.name}_oda.parquet")
        measured.write_text(json.dumps(oda_run))
    ours = pq.read_table(scratch / f"{folder.name}_oda.parquet")
    predicted = {i: u for i, u in zip(ours.column("id").to_pylist(), ours.column("uprn").to_pylist()) if u is not None}
    row["oda"] = {**oda_run, **dict(zip(("precision", "recall"), score(truth, predicted)))}
    row["oda"]["review"] = sum(t == "review" for t in ours.column("tier").to_pylist())
    if not peer:
        row["uam"] = None
        return row
    # The peer does not change between runs of this script: reuse its result for the same set.
    cached = scratch / f"{folder.name}_uam.json"
    if cached.exists() and (scratch / f"{folder.name}_uam.parquet").exists():
        uam_run = json.loads(cached.read_text())
    else:
        uam_run = run(uam_python, "run_uam.py", folder, scratch / f"{folder.name}_uam.parquet")
        cached.write_text(json.dumps(uam_run))
    peer = pq.read_table(scratch / f"{folder.name}_uam.parquet")
    predicted = {int(i): int(u) for i, u in zip(peer.column("unique_id").to_pylist(),
                                                 peer.column("resolved_canonical_id").to_pylist()) if u is not None}
    row["uam"] = {**uam_run, **dict(zip(("precision", "recall"), score(truth, predicted)))}
    row["uam"]["best"] = peer_best(truth, peer)
    return row


def _ratio(peer: float | None, ours: float | None) -> str:
    return f"{peer / ours:.1f}x" if peer and ours else "n/a"


def extrapolations(rows: list[dict]) -> str:
    """For a set with a full oda row and two sampled rows: the peer's CPU time on all its addresses,
    extrapolated linearly from its two samples (both against the full gazetteer: a fixed cost, mostly
    preparing the gazetteer, plus a cost per address), and oda's measured CPU time on all of them."""
    lines = []
    for full in (r for r in rows if not r.get("of") and r["uam"] is None):
        samples = sorted((r for r in rows if r.get("of") and r["set"].startswith(full["set"] + "_sample")
                          and r["uam"] and r["uam"].get("cpu_seconds")), key=lambda r: r["n"])
        if len(samples) < 2:
            continue
        small, large = samples[0], samples[-1]
        fit = {}
        for who in ("uam", "oda"):
            per = (large[who]["cpu_seconds"] - small[who]["cpu_seconds"]) / (large["n"] - small["n"])
            fit[who] = (small[who]["cpu_seconds"] - per * small["n"], per)
        fixed, per = fit["uam"]
        peer_cpu = fixed + per * full["n"]
        ours = full["oda"].get("cpu_seconds")
        lines.append(
            f"- **{full['set']}, all {full['n']:,} addresses:** the peer's CPU time extrapolated from its samples of "
            f"{small['n']:,} and {large['n']:,} ({small['uam']['cpu_seconds']:,.0f} and {large['uam']['cpu_seconds']:,.0f} "
            f"CPU-s: {fixed:,.0f} s fixed + {per * 1000:,.2f} s per 1,000 addresses) is **{peer_cpu:,.0f} CPU-s** "
            f"({full['n'] / peer_cpu:,.0f} addresses per CPU-second); oda measured on all of them: "
            f"**{ours:,.0f} CPU-s** ({full['n'] / ours:,.0f} per CPU-second; from its own samples "
            f"{fit['oda'][0]:,.0f} s fixed + {fit['oda'][1] * 1000:,.2f} s per 1,000): CPU speed-up "
            f"**{peer_cpu / ours:.1f}x** (per address, fixed costs aside: {per / fit['oda'][1]:.1f}x).")
    return "\n".join(lines) + ("\n" if lines else "")


def table(rows: list[dict]) -> str:
    lines = ["| set | addresses | gazetteer | oda precision | oda recall | oda review | oda addr/s | oda peak MB | "
             "uam precision | uam recall | uam best recall @99.5% | uam addr/s | uam peak MB | speed-up (wall) | "
             "speed-up (CPU) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        o, u = r["oda"], r["uam"]
        if r.get("of"):
            r = {**r, "set": f"{r['set']} (sampled: {r['n']:,} of {r['of']:,} addresses, full gazetteer)"}
        if u is None:
            lines.append(
                f"| {r['set']} | {r['n']:,} | {r['gazetteer']:,} | {o['precision']:.2%} | {o['recall']:.2%} | "
                f"{o['review']:,} | {r['n'] / o['seconds']:,.0f} | {o['peak_mb']:,.0f} | not run | not run | not run | "
                f"not run | not run | n/a | n/a |")
            continue
        best = f"{u['best'][1]:.2%} ({u['best'][2]})" if u["best"][1] else u["best"][2]
        lines.append(
            f"| {r['set']} | {r['n']:,} | {r['gazetteer']:,} | {o['precision']:.2%} | {o['recall']:.2%} | "
            f"{o['review']:,} | {r['n'] / o['seconds']:,.0f} | {o['peak_mb']:,.0f} | {u['precision']:.2%} | "
            f"{u['recall']:.2%} | {best} | {r['n'] / u['seconds']:,.0f} | {u['peak_mb']:,.0f} | "
            f"{u['seconds'] / o['seconds']:.1f}x | {_ratio(u.get('cpu_seconds'), o.get('cpu_seconds'))} |")
    return "\n".join(lines)


def hand_written_notes(path: Path) -> str:
    """The sections written by hand after the table (from the file's first ``## `` heading on): kept
    as they are when the table is regenerated, so that the history of the measurements survives."""
    if not path.exists():
        return ""
    text = path.read_text()
    at = text.find("\n## ")
    return "" if at < 0 else text[at:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--sets", default="borough,pcnoise")
    parser.add_argument("--peer-max", type=int, default=100_000,
                        help="run the peer only on sets of at most this many addresses (it takes hours at 1M)")
    parser.add_argument("--peer-sample", default="10000,50000",
                        help="for sets above --peer-max, also run both matchers on seeded random samples of these "
                             "many addresses against the full gazetteer, one row each ('': no sampled row); with two "
                             "sizes, the peer's CPU time on the whole set is extrapolated from them")
    parser.add_argument("--reuse-oda", action="store_true",
                        help="reuse oda's results from an earlier run of the same set when present")
    args = parser.parse_args()
    uam_python = ensure_uam()
    subprocess.run([sys.executable, str(HERE / "make_test_set.py"), "--sizes", args.sizes], check=True)
    scratch = OUT / "results"
    scratch.mkdir(parents=True, exist_ok=True)
    folders = []
    if "borough" in args.sets:
        folders += sorted(OUT.glob("borough_*"))
    if "pcnoise" in args.sets:
        folders += [OUT / f"pcnoise_{s}" for s in args.sizes.split(",") if s]
    rows = []
    for folder in folders:
        started = time.perf_counter()
        size = pq.read_metadata(folder / "addresses.parquet").num_rows
        rows.append(bench_set(folder, uam_python, scratch, peer=size <= args.peer_max, reuse_oda=args.reuse_oda))
        print(f"{folder.name}: done in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        print(table(rows[-1:]).splitlines()[-1], flush=True)
        if size > args.peer_max:
            for n in (int(k) for k in args.peer_sample.split(",") if k):
                started = time.perf_counter()
                rows.append(bench_set(sample_set(folder, n), uam_python, scratch, reuse_oda=args.reuse_oda))
                rows[-1]["of"] = size
                print(f"{folder.name} sample of {n}: done in {time.perf_counter() - started:.0f}s", file=sys.stderr)
                print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = table(rows) + "\n\n" + extrapolations(rows)
    print(text)
    cpus = os.cpu_count()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        "# Address matching benchmark\n\n"
        f"`{' '.join(sys.argv)}` on {platform.machine()}, {cpus} CPUs (shared), Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M')}.\n\n"
        "oda = `oda match-addresses` (exact + confident tiers counted as matches); uam = uk-address-matcher "
        "(default stages) in its own venv, run one after the other on the same files. Times are wall-clock "
        "for the whole job (reading, preparing the gazetteer, matching, writing); the speed-ups are ratios of "
        "wall time and of CPU time (user + system, all threads, from `/usr/bin/time -v`), which survive a noisy "
        "machine better than either time. Peak MB is the maximum resident set size. Recall counts every address "
        "(all have a true UPRN). A *sampled* row runs both matchers on the same seeded random sample of a large "
        "set's addresses against its full gazetteer (the peer would take many hours on all of them). See "
        "`benchmarks/address/bench_address.py` for the definitions.\n\n" + text + "\n" + hand_written_notes(RESULTS))
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
