"""HMO signals are realistic: each weak on its own, strong together, and labels are biased.

Features here are computed from the extracts joined to the truth's record → UPRN links (perfect
linkage), so they are an upper bound on what the pipeline can see.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.synth.readers import read_source, read_truth


def _linked(root, name, id_column):
    links = read_truth(root, "record_uprn")
    links = links[(links.source == name) & links.uprn.notna()][["record_id", "uprn"]].rename(columns={"uprn": "t_uprn"})
    frame = read_source(root, name)
    frame[id_column] = frame[id_column].astype(str)
    return frame.merge(links, left_on=id_column, right_on="record_id")


@pytest.fixture(scope="module")
def features(borough) -> pd.DataFrame:
    root, _ = borough
    props = read_truth(root, "properties")
    out = pd.DataFrame({"uprn": props.uprn, "is_hmo": props.is_hmo})

    def count(frame, name):
        out[name] = out.uprn.map(frame.groupby("t_uprn").size()).fillna(0)

    er = _linked(root, "electoral_register", "Elector Ref")
    out["distinct_surnames"] = out.uprn.map(er.groupby(["t_uprn", "Register Year"]).Surname.nunique()
                                            .groupby("t_uprn").max()).fillna(0)
    ct = _linked(root, "council_tax", "Account Ref")
    count(ct, "council_tax_accounts")
    count(ct[ct["Exemption"] == "N"], "student_exemptions")
    count(ct[ct["Liable Type"] == "Company"], "company_liable")
    eh = _linked(root, "env_health_requests", "SR Number")
    count(eh, "complaints")
    for kind in ("Noise", "Refuse", "Overcrowding", "Disrepair"):
        count(eh[eh["Service Type"].str.contains(kind)], f"complaints_{kind.lower()}")
    count(_linked(root, "police_asb", "CAD Ref"), "asb")
    fire = _linked(root, "fire_service", "incident_number")
    count(fire, "fire")
    plan = _linked(root, "planning", "Application Number")
    count(plan, "planning")
    count(plan[plan.Proposal.str.contains("HMO|multiple occupation|fire doors", case=False)], "planning_hmo")
    hb = _linked(root, "housing_benefit", "claim_ref")
    count(hb, "benefit_claims")
    count(hb[hb.lha_category == "SAR"], "shared_rate_claims")
    epc = _linked(root, "epc", "LMK_KEY")
    epc["private_area"] = epc.TOTAL_FLOOR_AREA.astype(float) * epc.TENURE.str.contains("private", case=False)
    out["epc_private_area"] = out.uprn.map(epc.groupby("t_uprn").private_area.max()).fillna(0)
    out["epc_rooms"] = out.uprn.map(epc.groupby("t_uprn").NUMBER_HABITABLE_ROOMS.apply(
        lambda s: s.astype(float).max())).fillna(0)
    return out


def _precision_at(score: np.ndarray, label: np.ndarray, share: float = 0.02, seed: int = 0) -> float:
    k = max(1, round(share * len(score)))
    jitter = np.random.default_rng(seed).random(len(score)) * 1e-6  # break ties at random
    return float(label[np.argsort(-(score + jitter))[:k]].mean())


def test_no_single_signal_reaches_half_precision_in_the_top_two_percent(features):
    label = features.is_hmo.to_numpy()
    signals = [c for c in features.columns if c not in ("uprn", "is_hmo")]
    precision = {c: _precision_at(features[c].to_numpy(float), label) for c in signals}
    assert max(precision.values()) < 0.5, precision
    # ... yet each of the main families carries some signal.
    for name in ("distinct_surnames", "complaints", "council_tax_accounts", "planning_hmo", "epc_private_area"):
        assert features.loc[features.is_hmo, name].mean() > 1.5 * features.loc[~features.is_hmo, name].mean(), name


def _logistic_scores(x_train, y_train, x_test, steps: int = 400) -> np.ndarray:
    mean, std = x_train.mean(0), x_train.std(0) + 1e-9
    a, b = (x_train - mean) / std, (x_test - mean) / std
    a, b = np.c_[a, np.log1p(np.abs(a))], np.c_[b, np.log1p(np.abs(b))]
    w, bias = np.zeros(a.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(a @ w + bias)))
        w -= 0.5 * (a.T @ (p - y_train) / len(y_train) + 1e-3 * w)
        bias -= 0.5 * float(np.mean(p - y_train))
    return b @ w + bias


def test_signals_combined_carry_enough_information(features):
    x = features.drop(columns=["uprn", "is_hmo"]).to_numpy(float)
    y = features.is_hmo.to_numpy(float)
    fold = np.random.default_rng(1).integers(0, 2, len(y))
    scores = np.zeros(len(y))
    for k in (0, 1):
        scores[fold == k] = _logistic_scores(x[fold != k], y[fold != k], x[fold == k])
    assert _precision_at(scores, y) >= 0.7


def test_complaint_led_inspections_find_hmos_a_fifth_of_the_time(borough):
    root, summary = borough
    inspections = _linked(root, "inspections", "Inspection Ref")
    props = read_truth(root, "properties").set_index("uprn")
    after_complaint = inspections[inspections.Reason == "Complaint"]
    assert len(after_complaint) > 50
    hit_rate = props.loc[after_complaint.t_uprn, "is_hmo"].mean()
    assert 0.15 <= hit_rate <= 0.30
    assert 0.15 <= summary.complaint_hit_rate <= 0.30
    # The labelled set is biased: inspected HMOs are louder than HMOs in general.
    hmo = props[props.is_hmo]
    inspected = hmo.index.isin(inspections.t_uprn)
    assert hmo.hmo_visibility[inspected].mean() > hmo.hmo_visibility[~inspected].mean() + 0.1
    assert set(inspections.Outcome) == {"HMO confirmed", "Not an HMO", "No access"}
