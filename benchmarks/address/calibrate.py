"""Fit the address matcher's weights on synthetic truth (never on a test set).

    .venv/bin/python benchmarks/address/calibrate.py [--properties 50000] [--seed 424242]

Generates a borough (seed 424242 by default; every test and benchmark uses other seeds), renders
its units the way several sources type them, finds and featurises candidate pairs with the current
matcher, and fits a conditional logit: for each address, ``P(candidate k) = e^sk / (1 + Σ e^sj)``
where ``s = w · features`` and the ``1`` is "none of these". That is exactly the probability the
matcher reports, so the fitted weights are calibrated by construction. Prints the ``WEIGHTS`` dict
for :mod:`oda.link.address.score`, and the precision/recall of the tiers on the training set.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pyarrow as pa
from scipy.optimize import minimize

from oda.link.address.match import AddressMatcher
from oda.link.address.score import COVERAGES, LEVELS, WEIGHTS
from oda.link.address.synthetic import make_set

HELD_OUT = 0.03
"""Share of gazetteer units removed, so that some addresses truly have no match."""
PROFILES = ("council_tax", "electoral_register", "housing_benefit", "env_health_requests", "hmo_licences")


def names() -> list[str]:
    return ["intercept"] + [f"{c}:{lv}" for c, levels in LEVELS.items() for lv in levels] + list(COVERAGES)


def design(pairs: pa.Table) -> np.ndarray:
    n = pairs.num_rows
    columns = [np.ones(n)]
    for component, levels in LEVELS.items():
        values = np.array(pairs.column(f"{component}_level").to_pylist(), dtype=object)
        columns += [(values == level).astype(float) for level in levels]
    columns += [np.asarray(pairs.column(c).to_numpy(zero_copy_only=False), float) for c in COVERAGES]
    return np.column_stack(columns)


def _not_parts_of_the_building(pairs: pa.Table, matcher: AddressMatcher) -> np.ndarray:
    """As the matcher decides: when an address names no flat and its building is a candidate, the
    building's flats are not rival answers (they are left out of the softmax)."""
    records = matcher.gazetteer_.records
    uprn = np.asarray(records.column("uprn").to_numpy(zero_copy_only=False))
    parent = records.column("parent_uprn").to_pylist()
    i_id = pairs.column("i_id").to_pylist()
    g_id = pairs.column("g_id").to_pylist()
    flat = pairs.column("flat_level").to_pylist()
    buildings = {(i, int(uprn[g])) for i, g, f in zip(i_id, g_id, flat) if f == "none"}
    return np.array([not (f == "input_missing" and parent[g] is not None and (i, parent[g]) in buildings)
                     for i, g, f in zip(i_id, g_id, flat)])


def collect(properties: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Design matrix, record index per pair, label per pair, number of records."""
    xs, groups, labels, offset = [], [], [], 0
    for k, profile in enumerate(PROFILES):
        gaz, messy = make_set(properties, seed + k, profile=profile, postcode_missing=0.15, postcode_wrong=0.1)
        # Hold out a few units from the gazetteer: their addresses must learn to match nothing.
        rng = np.random.default_rng(seed + k)
        parents = set(gaz.column("parent_uprn").drop_null().to_pylist())
        held = rng.random(gaz.num_rows) < HELD_OUT
        held &= ~np.isin(gaz.column("uprn").to_numpy(), list(parents))
        gaz = gaz.filter(pa.array(~held))
        matcher = AddressMatcher().fit(gaz)
        pairs = matcher.match(messy.drop(["true_uprn", "errors"]), features=True)
        uprn_of = np.asarray(matcher.gazetteer_.records.column("uprn").to_numpy(zero_copy_only=False))
        truth = np.asarray(messy.column("true_uprn").to_numpy())
        i_id = pairs.column("i_id").to_numpy()
        g_id = pairs.column("g_id").to_numpy()
        keep = _not_parts_of_the_building(pairs, matcher)
        xs.append(design(pairs)[keep])
        groups.append((i_id + offset)[keep])
        labels.append((uprn_of[g_id] == truth[i_id]).astype(float)[keep])
        offset += messy.num_rows
        matcher.close()
    return np.vstack(xs), np.concatenate(groups), np.concatenate(labels), offset


def fit(x: np.ndarray, group: np.ndarray, label: np.ndarray, records: int, l2: float = 1e-4) -> np.ndarray:
    order = np.argsort(group, kind="stable")
    x, group, label = x[order], group[order], label[order]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        top = np.maximum(np.maximum.reduceat(s, np.flatnonzero(np.r_[True, group[1:] != group[:-1]])), 0.0)
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        top_per_pair = np.repeat(top, np.diff(np.r_[starts, len(s)]))
        e = np.exp(s - top_per_pair)
        denom = np.add.reduceat(e, starts) + np.exp(-top)
        log_denom = np.log(denom) + top
        # records whose truth is among the candidates contribute s_true - log denom; others -log denom
        nll = -(label @ s) + log_denom.sum() + (records - len(starts)) * 0.0
        prob = e / np.repeat(denom, np.diff(np.r_[starts, len(s)]))
        grad = -(label @ x) + prob @ x
        return nll / records + l2 * (w[1:] @ w[1:]), grad / records + 2 * l2 * np.r_[0.0, w[1:]]

    start = np.array([WEIGHTS.get(n, 0.0) for n in names()])
    result = minimize(loss, start, jac=True, method="L-BFGS-B")
    return result.x


def report(s: np.ndarray, group: np.ndarray, label: np.ndarray, records: int) -> None:
    """Precision and recall on the training set at several probability thresholds."""
    order = np.lexsort((-s, group))
    s, group, label = s[order], group[order], label[order]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    top = np.maximum(s[starts], 0.0)
    e = np.exp(s - np.repeat(top, np.diff(np.r_[starts, len(s)])))
    p = e[starts] / (np.add.reduceat(e, starts) + np.exp(-top))
    right = label[starts] == 1
    for threshold in (0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99):
        chosen = p >= threshold
        print(f"p >= {threshold:.2f}: precision {right[chosen].mean():.4f} recall {right[chosen].sum() / records:.4f}",
              file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # Large enough that street names repeat across wards and outward codes, as in a real borough
    # (at 14k properties there is one outward code); about 25 minutes on a busy 2-core machine.
    parser.add_argument("--properties", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=424242)
    args = parser.parse_args()
    x, group, label, records = collect(args.properties, args.seed)
    print(f"{records} addresses, {len(label)} candidate pairs, {int(label.sum())} true pairs", file=sys.stderr)
    w = fit(x, group, label, records)
    report(x @ w, group, label, records)
    print("WEIGHTS: dict[str, float] = {")
    for name, value in zip(names(), w):
        print(f'    "{name}": {value:.3f},')
    print("}")


if __name__ == "__main__":
    main()
