"""Entity resolution on FEBRL4 (linkage) and FEBRL3 (deduplication): oda against Splink's own model.

The peer is Splink's published FEBRL4 example (its "full model": NameComparison on both names with
term-frequency adjustments, DateOfBirthComparison, Damerau-Levenshtein on soc_sec_id and postcode,
exact street number; its seven blocking rules; prior from deterministic rules at recall 0.9; u from
random sampling; EM blocked on date of birth, then postcode), run in the same process on the same
data and scored the same way, at match probability 0.5 for both. Each method runs in its own
subprocess so that its peak memory is its own.

    .venv/bin/python benchmarks/bench_entities.py            # writes benchmarks/results/entities.md
    .venv/bin/python benchmarks/bench_entities.py --borough DIR  # the same, plus a synthetic borough
    .venv/bin/python benchmarks/bench_entities.py borough DIR person|business   # one borough row
    .venv/bin/python benchmarks/bench_entities.py ceiling DIR   # best F1 any model could reach on its people
"""

from __future__ import annotations

import json
import logging
import resource
import subprocess
import sys
import time
from pathlib import Path

THRESHOLD = 0.5
RESULTS = Path(__file__).parent / "results" / "entities.md"
JOBS = [("febrl4", "oda"), ("febrl4", "splink-example"), ("febrl3", "oda"), ("febrl3", "splink-example")]


def _tables(dataset: str):
    from oda.link.entities.febrl import load

    if dataset == "febrl4":
        return {"a": load("dataset4a"), "b": load("dataset4b")}
    return {"febrl3": load("dataset3")}


def _truth(tables) -> dict:
    return {(name, u): t for name, table in tables.items()
            for u, t in zip(table["unique_id"].to_pylist(), table["truth"].to_pylist())}


def run_oda(dataset: str):
    from oda.link.entities.febrl import FEBRL_FIELDS
    from oda.link.entities.fields import parse_field_option
    from oda.link.entities.resolve import ResolveOptions, resolve

    tables = _tables(dataset)
    inputs = {k: v.drop_columns(["truth"]) for k, v in tables.items()}
    options = ResolveOptions(extra_fields=tuple(parse_field_option(f) for f in FEBRL_FIELDS),
                             link_type="link_only" if dataset == "febrl4" else "dedupe_only", threshold=THRESHOLD)
    start = time.perf_counter()
    result = resolve(inputs, options)
    seconds = time.perf_counter() - start
    links = result.links()
    pairs = list(zip(zip(links["source_l"].to_pylist(), links["unique_id_l"].to_pylist()),
                     zip(links["source_r"].to_pylist(), links["unique_id_r"].to_pylist())))
    c = result.clusters
    clusters = dict(zip(zip(c["source"].to_pylist(), c["unique_id"].to_pylist()), c["cluster_id"].to_pylist()))
    return tables, pairs, clusters, seconds


def run_splink_example(dataset: str):
    """Splink's FEBRL4 example model, as published, with Splink 5's table registration."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    tables = _tables(dataset)
    start = time.perf_counter()
    db_api = DuckDBAPI()
    frames = [db_api.register(t.drop_columns(["truth"]).rename_columns(
        ["given_name" if c == "first_name" else "date_of_birth" if c == "dob" else "rec_id" if c == "unique_id"
         else c for c in t.drop_columns(["truth"]).column_names]), dataset_display_name=name)
        for name, t in tables.items()]
    blocking_rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only" if dataset == "febrl4" else "dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d",
                                     invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    linker = Linker(frames, settings, log_level=logging.ERROR)
    deterministic_rules = [
        "l.soc_sec_id = r.soc_sec_id",
        block_on("given_name", "surname", "date_of_birth"),
        "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
    ]
    linker.training.estimate_probability_two_random_records_match(deterministic_rules, recall=0.9)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, THRESHOLD)
    seconds = time.perf_counter() - start
    p = predictions.as_duckdbpyrelation().to_arrow_table().to_pylist()
    single = len(tables) == 1
    name = next(iter(tables))
    pairs = [((name if single else r["source_dataset_l"], r["rec_id_l"]),
              (name if single else r["source_dataset_r"], r["rec_id_r"])) for r in p
             if r["match_probability"] >= THRESHOLD]
    clusters = {(name if single else r["source_dataset"], r["rec_id"]): r["cluster_id"]
                for r in clustered.as_duckdbpyrelation().to_arrow_table().to_pylist()}
    return tables, pairs, clusters, seconds


def job(dataset: str, method: str) -> dict:
    from oda.link.entities import evaluate

    runner = run_oda if method == "oda" else run_splink_example
    tables, pairs, clusters, seconds = runner(dataset)
    truth = _truth(tables)
    cross = dataset == "febrl4"
    pairwise = evaluate.pairwise(pairs, truth, cross_source_only=cross)
    from_clusters = evaluate.pairwise_from_clusters(clusters, truth, cross_source_only=cross)
    exact = evaluate.cluster_scores(clusters, truth)
    return {
        "dataset": dataset, "method": method, "seconds": round(seconds, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "pairwise": pairwise.as_dict(), "cluster_pairs": from_clusters.as_dict(), "cluster_exact": exact.as_dict(),
    }


# -- the synthetic borough -------------------------------------------------------------------
# Until the standardise stage publishes stg.* datasets, the extracts' columns are mapped here to the
# standard field names (the same mapping the data dictionary gives as "oda field").
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "mx", "prof", "rev", "sir", "lady"}


def _csv(path: Path, encoding: str = "utf-8-sig"):
    """An extract as text columns; the delimiter is sniffed once, then pandas' C parser reads the file
    (pandas' own sniffing uses its Python parser: minutes for the 100k borough's register)."""
    import csv

    import pandas as pd

    with open(path, encoding=encoding, newline="") as f:
        delimiter = csv.Sniffer().sniff(f.read(65536), delimiters=",;|\t").delimiter
    return pd.read_csv(path, dtype=str, encoding=encoding, keep_default_na=False, sep=delimiter)


def _join(frame, columns):
    import pandas as pd

    return pd.Series([", ".join(v for v in row if v) for row in frame[columns].itertuples(index=False, name=None)],
                     index=frame.index, dtype=object)


def _split_name(full: str) -> tuple[str, str]:
    words = [w for w in full.replace(".", " ").split() if w.lower() not in _TITLES]
    return (words[0], words[-1]) if len(words) >= 2 else ("", words[0] if words else "")


def _title(full: str) -> str:
    words = full.replace(".", " ").split()
    return words[0] if words and words[0].lower() in _TITLES else ""


def borough_inputs(folder: Path, entity: str):
    """Person or business inputs from a synthetic borough's extracts, as Arrow tables by source."""
    import pandas as pd
    import pyarrow as pa

    src = folder / "sources"
    out = {}
    if entity == "person":
        er = _csv(src / "electoral_register.csv")
        out["electoral_register"] = pd.DataFrame({
            "unique_id": er["Elector Ref"], "title": er["Title"], "first_name": er["Forename"],
            "middle_name": er["Middle Names"], "surname": er["Surname"],
            "address": _join(er, ["Address 1", "Address 2", "Address 3"]), "postcode": er["Postcode"],
            "uprn": er["UPRN"], "resident_from": er["Register Year"] + "-01-01",
            "resident_to": er["Register Year"] + "-12-31"})
        hb = pd.read_parquet(src / "housing_benefit.parquet")
        out["housing_benefit"] = pd.DataFrame({
            "unique_id": hb["claim_ref"], "first_name": hb["claimant_forename"], "surname": hb["claimant_surname"],
            "dob": hb["claimant_dob"].astype(str).replace({"None": "", "NaT": ""}), "address": hb["address"],
            "postcode": hb["postcode"], "uprn": hb["uprn"].astype("Int64").astype(str).replace({"<NA>": ""}),
            "resident_from": hb["claim_start"].astype(str).replace({"None": "", "NaT": ""}),
            "resident_to": hb["claim_end"].astype(str).replace({"None": "", "NaT": ""})})
        ct = _csv(src / "council_tax.csv", "cp1252")
        ct = ct[ct["Liable Type"] == "Person"]
        names = ct["Liable Name"].map(_split_name)
        out["council_tax"] = pd.DataFrame({
            "unique_id": ct["Account Ref"], "title": ct["Liable Name"].map(_title), "first_name": names.str[0],
            "surname": names.str[1],
            "address": _join(ct, ["Addr1", "Addr2", "Addr3"]), "postcode": ct["Post Code"], "uprn": ct["UPRN"],
            "resident_from": ct["Liability Start"], "resident_to": ct["Liability End"]})
    else:
        br = _csv(src / "business_rates.csv")
        out["business_rates"] = pd.DataFrame({
            "unique_id": br["Account No"], "name": br["Ratepayer"], "address": _join(br, ["Address 1", "Address 2"]),
            "postcode": br["Postcode"], "uprn": br["UPRN"]})
        fb = pd.read_parquet(src / "food_businesses.parquet")
        out["food_businesses"] = pd.DataFrame({
            "unique_id": fb["FHRSID"].astype(str), "name": fb["BusinessName"],
            "address": _join(fb.astype(str), ["AddressLine1", "AddressLine2"]), "postcode": fb["PostCode"]})
        co = _csv(src / "companies.csv")
        out["companies"] = pd.DataFrame({
            "unique_id": co["OfficerAppointmentId"], "name": co["CompanyName"], "company_number": co["CompanyNumber"],
            "address": _join(co, ["RegAddress.AddressLine1", "RegAddress.AddressLine2"]),
            "postcode": co["RegAddress.PostCode"]})
        ct = _csv(src / "council_tax.csv", "cp1252")
        ct = ct[ct["Liable Type"] == "Company"]
        out["council_tax"] = pd.DataFrame({
            "unique_id": ct["Account Ref"], "name": ct["Liable Name"], "address": _join(ct, ["Addr1", "Addr2"]),
            "postcode": ct["Post Code"], "uprn": ct["UPRN"]})
    # A blank middle name is kept: the register lists middle names, so blank says "none" (see fields.py).
    return {k: pa.Table.from_pandas(v.replace({"": None}).assign(
        **({"middle_name": v["middle_name"]} if "middle_name" in v else {})), preserve_index=False)
        for k, v in out.items()}


def borough_truth(folder: Path, entity: str) -> dict:
    """(source, record_id) → true entity, for records that name exactly one person (or business)."""
    import pyarrow.parquet as pq

    table = pq.read_table(folder / "truth" / f"record_{entity}.parquet").to_pylist()
    column = f"{entity}_id"
    seen: dict = {}
    for row in table:
        seen.setdefault((row["source"], str(row["record_id"])), set()).add(row[column])
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def borough_job(folder: Path, entity: str) -> dict:
    from oda.link.entities import evaluate
    from oda.link.entities.resolve import ResolveOptions, resolve

    inputs = borough_inputs(folder, entity)
    start = time.perf_counter()
    result = resolve(inputs, ResolveOptions(entity=entity))
    seconds = time.perf_counter() - start
    print("stages (s): " + json.dumps({k: round(v, 1) for k, v in result.seconds.items()}) + ", peak MB so far "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}", file=sys.stderr, flush=True)
    truth = borough_truth(folder, entity)
    c = result.clusters
    clusters = {k: v for k, v in zip(zip(c["source"].to_pylist(), c["unique_id"].to_pylist()),
                                     c["cluster_id"].to_pylist()) if k in truth}
    links = result.links()
    pairs = [(a, b) for a, b in zip(zip(links["source_l"].to_pylist(), links["unique_id_l"].to_pylist()),
                                    zip(links["source_r"].to_pylist(), links["unique_id_r"].to_pylist()))
             if a in truth and b in truth]
    truth = {k: v for k, v in truth.items() if k in clusters}
    return {
        "dataset": f"borough {folder.name} ({c.num_rows:,} records)", "method": f"oda {entity}",
        "seconds": round(seconds, 2), "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "pairwise": evaluate.pairwise(pairs, truth).as_dict(),
        "cluster_pairs": evaluate.pairwise_from_clusters(clusters, truth).as_dict(),
        "cluster_exact": evaluate.cluster_scores(clusters, truth).as_dict(),
    }


def ceiling(folder: Path) -> dict:
    """The best exact-cluster F1 any model could reach on a borough's people.

    Records whose compared fields, as cleaned for the model, are identical to a record of a different
    true person cannot be told apart by any model: the oracle puts every true person in a cluster of
    their own, then merges the clusters that such identical records join. Its score is the ceiling.
    """
    from oda.link.entities import evaluate
    from oda.link.entities.fields import fields_for
    from oda.link.entities.prepare import prepare

    inputs = borough_inputs(folder, "person")
    fields = fields_for(sorted({c for t in inputs.values() for c in t.column_names}), "person")
    records = prepare(inputs, fields)
    truth = borough_truth(folder, "person")
    keys = list(zip(records["source_dataset"].to_pylist(), records["unique_id"].to_pylist()))
    values = list(zip(*[records[f.column].to_pylist() for f in fields]))
    parent: dict = {}

    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    groups: dict = {}
    for key, value in zip(keys, values):
        if key in truth:
            groups.setdefault(value, []).append(key)
            parent[key] = find(("person", truth[key]))
    confusable = 0
    for members in groups.values():
        if len({truth[k] for k in members}) > 1:
            confusable += len(members)
            roots = {find(k) for k in members}
            first = roots.pop()
            for root in roots:
                parent[root] = first
    oracle = {k: find(k) for k in keys if k in truth}
    score = evaluate.cluster_scores(oracle, truth)
    return {"records": len(oracle), "confusable": confusable, "people": len(set(truth[k] for k in oracle)),
            "fields": [f.column for f in fields], "ceiling_f1": round(score.f1, 4),
            "merged_clusters": score.false_positives}


def _row(r: dict) -> str:
    p, cp, ce = r["pairwise"], r["cluster_pairs"], r["cluster_exact"]
    return (f"| {r['dataset']} | {r['method']} | {p['precision']:.4f} | {p['recall']:.4f} | {p['f1']:.4f} | "
            f"{p['false_positives']} / {p['false_negatives']} | {cp['f1']:.4f} | {ce['f1']:.4f} | "
            f"{r['seconds']:.1f} | {r['peak_mb']} |")


def _borough_section(folder: Path | None) -> list[str]:
    if folder is None:
        return []
    lines = [f"## Synthetic borough `{folder.name}`", "",
             f"Command: `.venv/bin/python benchmarks/bench_entities.py --borough {folder}` (generated with "
             "`oda synth`). Records that name two people (joint council-tax liability) are left out of the scoring; "
             "the extracts' columns are mapped to the standard fields in this script until `stg.*` exists.", "",
             "| data | method | pairwise precision | pairwise recall | pairwise F1 | FP / FN pairs | "
             "F1 of pairs in clusters | exact-cluster F1 | seconds | peak MB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for entity in ("person", "business"):
        done = subprocess.run([sys.executable, __file__, "borough", str(folder), entity],
                              capture_output=True, text=True, check=True)
        lines.append(done.stdout.strip().splitlines()[-1])
        print(lines[-1], flush=True)
    return lines + [""]


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "ceiling":
        print(json.dumps(ceiling(Path(sys.argv[2]))))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "borough":
        print(_row(borough_job(Path(sys.argv[2]), sys.argv[3])))
        return
    if len(sys.argv) == 3 and sys.argv[1] != "--borough":
        print(json.dumps(job(sys.argv[1], sys.argv[2])))
        return
    borough = Path(sys.argv[2]) if len(sys.argv) == 3 and sys.argv[1] == "--borough" else None
    rows = []
    for dataset, method in JOBS:
        done = subprocess.run([sys.executable, __file__, dataset, method], capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(_row(rows[-1]), flush=True)
    ratio = {d: next(r["seconds"] for r in rows if r["dataset"] == d and r["method"] == "splink-example")
             / next(r["seconds"] for r in rows if r["dataset"] == d and r["method"] == "oda") for d in ("febrl4", "febrl3")}
    lines = [
        "# Entity resolution: FEBRL4 and FEBRL3, oda against Splink's FEBRL4 example model",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_entities.py` (threshold {THRESHOLD} for both, not tuned "
        "on the labels; each method in its own process; seconds include training, prediction and clustering).",
        "",
        "| data | method | pairwise precision | pairwise recall | pairwise F1 | FP / FN pairs | F1 of pairs in clusters "
        "| exact-cluster F1 | seconds | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *[_row(r) for r in rows],
        "",
        *_borough_section(borough),
        f"Speed ratio (Splink example seconds / oda seconds): FEBRL4 {ratio['febrl4']:.2f}×, "
        f"FEBRL3 {ratio['febrl3']:.2f}×.",
        "",
        "Pairwise: pairs scored at or above the threshold against the true pairs (FEBRL4: cross-file pairs only, "
        "5,000 true). F1 of pairs in clusters: every two records in one cluster counted as a pair. Exact-cluster "
        "F1: a cluster is right only when it holds exactly one true entity's records. Peak MB is the process's "
        "maximum resident memory (Python, Arrow and DuckDB together).",
        "",
        "oda's model: see `src/oda/link/entities/fields.py` (comparisons per field kind) and `settings.py` "
        "(blocking rules and training plan); FEBRL columns are mapped with " + ", ".join(
            f"`--field {f}`" for f in __import__("oda.link.entities.febrl", fromlist=["x"]).FEBRL_FIELDS) + ".",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
