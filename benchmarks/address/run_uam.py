"""Run the Ministry of Justice's uk-address-matcher on one test set (inside its own venv).

    benchmarks/.venv-uam/bin/python benchmarks/address/run_uam.py SET_FOLDER OUT.parquet

Prints one JSON line: wall seconds, CPU seconds (all threads), peak memory (MB). Uses the library's documented API and default
stages (exact match, then its pretrained Splink model).
"""

import json
import resource
import sys
import time

import duckdb

from uk_address_matcher import AddressMatcher

folder, out = sys.argv[1], sys.argv[2]
started = time.perf_counter()
con = duckdb.connect()
canonical = con.sql(f"SELECT CAST(uprn AS VARCHAR) AS unique_id, address AS address_concat, postcode "
                    f"FROM read_parquet('{folder}/gazetteer.parquet')")
messy = con.sql(f"SELECT CAST(id AS VARCHAR) AS unique_id, address AS address_concat, "
                f"NULLIF(postcode, '') AS postcode FROM read_parquet('{folder}/addresses.parquet')")
result = AddressMatcher(canonical_addresses=canonical, addresses_to_match=messy, con=con,
                        show_progress="off").match()
result.matches().select("unique_id, resolved_canonical_id, match_weight, distinguishability, match_reason") \
    .write_parquet(out)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}))
