"""Web app load benchmark: worklist and property pages under concurrent signed-in officers.

Builds a small borough (the web tests' builder, scaled up), starts ``oda serve``'s app with uvicorn in
a separate process on 127.0.0.1, signs in ``--users`` officers (untimed), then has them all work at
once: each officer loads the worklist, then a property page, ``--rounds`` times, pausing ``--think``
seconds on average between pages (0: back to back, a stress test). Reports p50/p95 per page beside
the health check and a static file measured in the same run (ratios survive a noisy machine), and
checks that the audit log holds exactly one ``view_property`` entry per property page served. After
the load, one officer requests each page ``--cpu-repeats`` times in turn and the app's CPU time per
request of each kind is printed beside the latencies ("app CPU ms (alone)"): the figure that other work
on a shared machine hardly moves.

After building the borough it writes what publishing a worklist writes for the app
(``out.property_records`` and the serving snapshot, :mod:`oda.act.property_records`); ``--no-snapshot``
leaves them out, so the app joins the datasets per request as before they existed: run both to compare.
The audit check counts entries in the whole store, so use a database nothing else writes to meanwhile.

Targets (issue 7): worklist p95 < 150 ms, property p95 < 250 ms at 50 users on a PostgreSQL store.

    .venv/bin/python benchmarks/bench_web.py --users 50 --rounds 10                          # SQLite store
    .venv/bin/python benchmarks/bench_web.py --database-url postgresql+psycopg://postgres@127.0.0.1/oda_bench --write
    .venv/bin/python benchmarks/bench_web.py --users 50 --rounds 10 --think 1 --workers 2 \
        --database-url postgresql+psycopg://postgres@127.0.0.1/oda_bench --properties 100000 --worklist 2000

Only 127.0.0.1 is ever contacted; the request count is bounded by users × rounds × 2.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oda.store import accounts, audit, open_store  # noqa: E402
from tests.web.borough import build_borough  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "web.md"
TARGETS_MS = {"worklist": 150.0, "property": 250.0}
PASSWORD = "benchmark password 1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SERVER = """
import sys
from oda.cli.serve_commands import serve_command
serve_command(sys.argv[1], host="127.0.0.1", port=int(sys.argv[2]), workers=int(sys.argv[3]))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the app did not answer on {base} within {timeout:.0f} s")


async def sign_in(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/sign-in")
    token = CSRF.search(page.text).group(1)
    signed = await client.post("/sign-in", data={"username": username, "password": PASSWORD,
                                                 "csrf_token": token, "next": "/"})
    if signed.status_code != 303:
        raise RuntimeError(f"{username} could not sign in: {signed.status_code}")


async def officer(client: httpx.AsyncClient, username: str, uprns: list[str], rounds: int, think: float,
                  timings: dict[str, list[float]]) -> None:
    if think:
        await asyncio.sleep(random.uniform(0, 2 * think))  # officers do not all click at the same instant
    for i in range(rounds):
        for name, path in (("worklist", "/worklist"), ("property", f"/property/{uprns[i % len(uprns)]}"),
                           ("health", "/health"), ("static", "/static/oda/oda.css")):
            start = time.perf_counter()
            response = await client.get(path)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code} for {username}")
            timings[name].append(elapsed)
            if think:
                await asyncio.sleep(random.uniform(0, 2 * think))


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) of process ``pid`` and its children (uvicorn's workers), from /proc; None
    where there is no /proc. Unlike latency, it hardly moves when other work shares the machine."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, pending = 0, [pid]
    try:
        while pending:
            current = pending.pop()
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            children = Path(f"/proc/{current}/task/{current}/children")
            pending += [int(c) for c in children.read_text().split()] if children.exists() else []
    except (OSError, IndexError, ValueError):
        return None
    return total / ticks


async def everyone(base: str, usernames: list[str], uprns: list[str], rounds: int, think: float,
                   timings: dict[str, list[float]], on_start=lambda: None) -> float:
    """Sign everyone in first (untimed: a password check is deliberately slow), then time the pages;
    ``on_start()`` is called between the two."""
    limits = httpx.Limits(max_connections=len(usernames) + 5)
    clients = [httpx.AsyncClient(base_url=base, timeout=60.0, limits=limits) for _ in usernames]
    try:
        await asyncio.gather(*(sign_in(c, u) for c, u in zip(clients, usernames)))
        on_start()
        started = time.perf_counter()
        await asyncio.gather(*(officer(c, u, uprns[i:] + uprns[:i], rounds, think, timings)
                               for i, (c, u) in enumerate(zip(clients, usernames))))
        return time.perf_counter() - started
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def cpu_per_page(base: str, username: str, uprns: list[str], pid: int, repeats: int) -> dict[str, float]:
    """The app's CPU milliseconds per request of each kind, one request at a time (after the load, same
    server): the per-page figure that other work on the machine hardly moves, unlike latency."""
    paths = {"worklist": lambda i: "/worklist", "property": lambda i: f"/property/{uprns[i % len(uprns)]}",
             "health": lambda i: "/health", "static": lambda i: "/static/oda/oda.css"}
    spent = {}
    with httpx.Client(base_url=base, timeout=60.0) as client:
        token = CSRF.search(client.get("/sign-in").text).group(1)
        client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/"})
        for name, path in paths.items():
            client.get(path(0))
            start = cpu_seconds(pid)
            for i in range(repeats):
                if client.get(path(i)).status_code != 200:
                    raise RuntimeError(f"{path(i)} failed while measuring CPU")
            end = cpu_seconds(pid)
            spent[name] = float("nan") if None in (start, end) else (end - start) * 1000 / repeats
    return spent


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--properties", type=int, default=5000)
    parser.add_argument("--worklist", type=int, default=200, help="properties on the council's worklist")
    parser.add_argument("--workers", type=int, default=1,
                        help="uvicorn worker processes (as `oda serve --workers`)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause in seconds between one officer's requests (0: back to back, a stress test)")
    parser.add_argument("--database-url", default="", help="operational store (default: a SQLite file)")
    parser.add_argument("--no-snapshot", action="store_true",
                        help="skip what publishing a worklist writes for the app (out.property_records and the "
                             "serving snapshot), to measure the app joining the datasets per request")
    parser.add_argument("--cpu-repeats", type=int, default=100,
                        help="requests of each kind, one at a time after the load, to measure the app's CPU per page")
    parser.add_argument("--write", action="store_true", help=f"write the table to {RESULTS}")
    args = parser.parse_args()
    if args.users * args.rounds > 5000:
        parser.error("keep users × rounds at 5,000 or fewer")

    load = os.getloadavg()[0]
    random.seed(7)
    folder = Path(tempfile.mkdtemp(prefix="oda-bench-web-"))
    uprns = build_borough(folder, properties=args.properties, per_organisation=args.worklist)["council"]
    if not args.no_snapshot:  # as `oda worklist` does after drawing the list
        from oda.act.property_records import publish_property_records, publish_serving_snapshot
        from oda.engine.duckdb_engine import DuckDBEngine

        engine = DuckDBEngine(folder / ".oda" / "oda.duckdb")
        publish_property_records(engine)
        publish_serving_snapshot(engine)
        engine.close()
    url = args.database_url or f"sqlite:///{folder / '.oda' / 'store.sqlite'}"
    store = open_store(url)
    usernames = [f"officer{i:03d}" for i in range(args.users)]
    for username in usernames:
        if accounts.get_account(store, username) is None:  # a reused database keeps earlier runs' officers
            accounts.add_user(store, username, PASSWORD, role="officer", organisation="council")
    views_before = audit.count(store, action="view_property")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ODA_DATABASE_URL": url, "ODA_SECRET_KEY": "benchmark-" + "z" * 40}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(folder), str(port), str(args.workers)], env=env)
    try:
        wait_until_up(base)
        timings: dict[str, list[float]] = {"worklist": [], "property": [], "health": [], "static": []}
        cpu_at_start: list[float | None] = []
        wall = asyncio.run(everyone(base, usernames, uprns, args.rounds, args.think, timings,
                                    on_start=lambda: cpu_at_start.append(cpu_seconds(server.pid))))
        cpu_end = cpu_seconds(server.pid)
        cpu_pages = cpu_per_page(base, usernames[0], uprns, server.pid, args.cpu_repeats)
    finally:
        server.terminate()
        server.wait(timeout=60)

    views = audit.count(store, action="view_property") - views_before
    store.close()
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    pace = f"mean think time {args.think:g} s" if args.think else "no think time (back to back)"
    serving = "joined per request (no snapshot)" if args.no_snapshot else "serving snapshot"
    requests = sum(len(v) for v in timings.values())
    app_cpu = ("" if None in (cpu_end, *cpu_at_start) else
               f", the app's CPU {(cpu_end - cpu_at_start[0]) * 1000 / requests:.1f} ms a request (all four kinds)")
    lines = [f"# Web app load: {args.users} concurrent officers × {args.rounds} rounds, {pace}, {kind} store, "
             f"{serving}",
             "", f"Borough of {args.properties:,} properties, worklist of {args.worklist}; "
             f"{args.workers} uvicorn worker(s); "
             f"{requests:,} requests in {wall:.1f} s{app_cpu}; load average before the run "
             f"{load:.1f} on {os.cpu_count()} CPUs (other work on the machine inflates every figure: read the ratios).",
             "",
             "| page | requests | p50 ms | p95 ms | p95 ÷ health p95 | target p95 ms | met | app CPU ms (alone) |",
             "|---|---:|---:|---:|---:|---:|---|---:|"]
    health_p95 = percentile(timings["health"], 95)
    for name, values in timings.items():
        p50, p95 = percentile(values, 50), percentile(values, 95)
        target = TARGETS_MS.get(name)
        met = "" if target is None else ("yes" if p95 < target else "**no**")
        lines.append(f"| {name} | {len(values)} | {p50:.1f} | {p95:.1f} | {p95 / health_p95:.1f} | "
                     f"{'' if target is None else f'{target:.0f}'} | {met} | {cpu_pages[name]:.1f} |")
    expected = len(timings["property"]) + args.cpu_repeats + 1  # the CPU measurement's views are audited too
    lines += ["", f"Audit: {views} `view_property` entries for {expected} property pages served — "
              f"{'exactly one per view' if views == expected else '**MISMATCH**'}."]
    table = "\n".join(lines) + "\n"
    print(table)
    if args.write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(table + "\n")
    return 0 if views == expected else 1


if __name__ == "__main__":
    sys.exit(main())
