"""Reasons in plain language from the model's per-feature contributions.

For each property, the features that pushed its score up the most (LightGBM's ``pred_contrib``,
in log-odds) become sentences from the feature registry, compared with what is typical on the same
street: "6 different surnames on the electoral register in the last year; typical for this street:
1–2". Streets with fewer than :data:`MIN_NEIGHBOURS` dwellings are compared with their ward, and the
comparison is left out when neither is known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oda.features.registry import FeatureColumn

MIN_NEIGHBOURS = 5
MIN_CONTRIBUTION = 0.05


def _number(column: FeatureColumn, value: float) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "unknown"
    return column.label(value)


def typical_ranges(features: pd.DataFrame, street: pd.Series, ward: pd.Series,
                   columns: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each column: the 25th and 75th percentile on each row's street (or ward), and which it is.

    Returns ``{column: (low, high, place)}`` aligned with ``features``; ``place`` is "street", "ward"
    or "" (no comparison).
    """
    out = {}
    street = street.fillna("").astype(str)
    ward = ward.fillna("").astype(str)
    street_size = street.map(street.value_counts()).where(street != "", 0).to_numpy()
    ward_size = ward.map(ward.value_counts()).where(ward != "", 0).to_numpy()
    use_street = street_size >= MIN_NEIGHBOURS
    use_ward = ~use_street & (ward_size >= MIN_NEIGHBOURS)
    place = np.where(use_street, "street", np.where(use_ward, "ward", ""))
    for column in columns:
        values = features[column]
        lows, highs = [], []
        for key in (street, ward):
            grouped = values.groupby(key.to_numpy())
            lows.append(key.map(grouped.quantile(0.25)).to_numpy(float))
            highs.append(key.map(grouped.quantile(0.75)).to_numpy(float))
        low = np.where(use_street, lows[0], lows[1])
        high = np.where(use_street, highs[0], highs[1])
        out[column] = (low, high, place)
    return out


def sentence(column: FeatureColumn, value: float, low: float, high: float, place: str) -> str:
    text = column.sentence(value)
    if not column.compare_with_street or not place or np.isnan(low) or np.isnan(high):
        return text
    low_text, high_text = _number(column, low), _number(column, high)
    typical = low_text if low_text == high_text else f"{low_text}–{high_text}"
    return f"{text}; typical for this {place}: {typical}"


def model_reasons(rows: np.ndarray, features: pd.DataFrame, contributions: np.ndarray, names: list[str],
                  registry: dict[str, FeatureColumn], typical: dict[str, tuple[np.ndarray, ...]],
                  top: int = 3) -> dict[int, list[str]]:
    """Sentences for each row index in ``rows`` (positions into ``features``/``contributions``)."""
    reasons: dict[int, list[str]] = {}
    for i in rows:
        order = np.argsort(-contributions[i])
        texts = []
        for j in order:
            if contributions[i, j] < MIN_CONTRIBUTION or len(texts) == top:
                break
            name = names[j]
            value = features[name].iat[i]
            if value is None or (isinstance(value, float) and np.isnan(value)):
                continue
            if registry[name].kind in ("count", "flag") and value == 0:
                continue  # "0 complaints" is the absence of a signal, not a reason to visit
            low, high, place = (typical[name][0][i], typical[name][1][i], typical[name][2][i]) \
                if name in typical else (np.nan, np.nan, "")
            texts.append(sentence(registry[name], float(value), low, high, place))
        reasons[int(i)] = texts
    return reasons
