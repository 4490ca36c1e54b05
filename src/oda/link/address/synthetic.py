"""Gazetteers and messy addresses with known UPRNs, for calibration, tests and benchmarks.

``oda synth`` writes whole boroughs (people, sources, truth). The address benchmarks and the
calibration and tests only need the gazetteer and addresses typed the way each source types them, with the
true UPRN, so this module drives the same generator pieces directly (``oda.synth.gazetteer`` and
``oda.synth.addresses``): the gazetteer, its units rendered with a source's error profile, in
both one-line and multi-line styles.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from oda.synth.addresses import AddressBook, AddressStyle
from oda.synth.config import ErrorProfile, SynthConfig
from oda.synth.gazetteer import SHELL, build_ward
from oda.synth.geography import plan_borough

BUILDING_SHARE = 0.2
"""Share of buildings with flats (parent UPRNs) that also appear as addresses of their own."""

STYLES = (
    AddressStyle(lines=0, case="title", postcode_in_line=False),
    AddressStyle(lines=0, case="upper", postcode_in_line=True),
    AddressStyle(lines=4, case="upper"),
    AddressStyle(lines=3, case="title", town=False),
)


def make_set(properties: int, seed: int, profile: str | ErrorProfile = "env_health_requests",
             per_unit: float = 1.0, postcode_missing: float | None = None,
             postcode_wrong: float | None = None) -> tuple[pa.Table, pa.Table]:
    """(gazetteer, messy addresses with ``true_uprn`` and ``errors``).

    ``per_unit``: messy records per addressable unit (sampled with replacement when above 1).
    ``postcode_missing`` / ``postcode_wrong`` override the profile's rates (the 50k test uses them).
    """
    config = SynthConfig(properties=properties, seed=seed)
    errors = config.profile(profile) if isinstance(profile, str) else profile
    if postcode_missing is not None or postcode_wrong is not None:
        from dataclasses import replace

        errors = replace(errors, postcode_missing=postcode_missing if postcode_missing is not None
                         else errors.postcode_missing,
                         postcode_wrong=postcode_wrong if postcode_wrong is not None else errors.postcode_wrong)
    plan = plan_borough(config)
    rng = np.random.default_rng(seed + 1000)
    gaz = {"uprn": [], "address": [], "postcode": [], "parent_uprn": []}
    messy = {"address": [], "postcode": [], "true_uprn": [], "errors": []}
    clean_style = AddressStyle(lines=0, case="upper", postcode_in_line=True)
    for ward in plan.wards:
        columns = build_ward(plan, ward, seed).columns
        book = AddressBook(columns, ward.locality, config.town)
        units = np.arange(len(columns["uprn"]))
        clean = book.render(units, config.profile("gazetteer"), clean_style, rng)
        for i in units.tolist():
            gaz["uprn"].append(int(columns["uprn"][i]))
            gaz["address"].append(clean.lines[i][0])
            gaz["postcode"].append(clean.postcode[i])
            gaz["parent_uprn"].append(int(columns["parent_uprn"][i]) or None)
        # Every dwelling and shop, and a share of whole buildings (businesses and companies are
        # often registered at the building: "Goldcrest Point, Ritherdon Street").
        shell = columns["kind"][units] == SHELL
        addressable = units[~shell | (rng.random(len(units)) < BUILDING_SHARE)]
        count = int(round(len(addressable) * per_unit))
        chosen = rng.choice(addressable, size=count, replace=per_unit > 1) if per_unit != 1 else addressable
        style_of = rng.integers(len(STYLES), size=len(chosen))
        for s, style in enumerate(STYLES):
            picked = chosen[style_of == s]
            if not len(picked):
                continue
            rendered = book.render(picked, errors, style, rng)
            for k, i in enumerate(picked.tolist()):
                messy["address"].append(", ".join(x for x in rendered.lines[k] if x))
                messy["postcode"].append(rendered.postcode[k])
                messy["true_uprn"].append(int(columns["uprn"][i]))
                messy["errors"].append("|".join(rendered.errors[k]))
    order = rng.permutation(len(messy["address"]))
    messy_table = pa.table({"id": pa.array(np.arange(len(order)), pa.int64()),
                            **{k: [v[j] for j in order] for k, v in messy.items()}})
    gaz_table = pa.table({"uprn": pa.array(gaz["uprn"], pa.int64()), "address": gaz["address"],
                          "postcode": gaz["postcode"], "parent_uprn": pa.array(gaz["parent_uprn"], pa.int64())})
    return gaz_table, messy_table
