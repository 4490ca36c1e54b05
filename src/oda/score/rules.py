"""The expert-rule baseline: the criteria inspectors use today, declared in `oda.toml`.

Each rule names a feature and a condition and earns points when it holds::

    [score.rules.many_surnames]
    feature = "distinct_surnames_12m"
    at_least = 3
    points = 2
    reason = "3 or more surnames on the electoral register"

The rule score is the points earned divided by the points available (0–1). When a project declares
no rules, :data:`DEFAULT_RULES` (the usual private-sector housing triage) stands in, so the model is
always compared with something an inspector would recognise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oda.project.models import RuleDefinition
from oda.errors import ScoreError

DEFAULT_RULES: dict[str, RuleDefinition] = {
    "recent_complaint": RuleDefinition(feature="complaints_12m", at_least=1, points=2,
                                       reason="a complaint about the address in the last year"),
    "overcrowding_complaint": RuleDefinition(feature="complaints_overcrowding_24m", at_least=1, points=2,
                                             reason="an overcrowding complaint in the last 2 years"),
    "many_adults": RuleDefinition(feature="electors_12m", at_least=5, points=2,
                                  reason="5 or more adults on the electoral register"),
    "many_surnames": RuleDefinition(feature="distinct_surnames_12m", at_least=3, points=2,
                                    reason="3 or more surnames on the electoral register"),
    "privately_rented": RuleDefinition(feature="epc_private_rented", equals=1, points=1,
                                       reason="privately rented according to its energy certificate"),
    "tenant_churn": RuleDefinition(feature="ct_new_accounts_3y", at_least=3, points=1,
                                   reason="3 or more new council tax accounts in 3 years"),
    "a_house": RuleDefinition(feature="is_house", equals=1, points=1, reason="a house rather than a flat"),
}


@dataclass(frozen=True)
class RuleScores:
    """Per property: the rule score (0–1) and the reasons of the rules that held."""

    score: np.ndarray
    reasons: list[list[str]]
    rules: dict[str, RuleDefinition]


def rules_or_default(rules: dict[str, RuleDefinition]) -> dict[str, RuleDefinition]:
    return dict(rules) if rules else dict(DEFAULT_RULES)


def _holds(values: pd.Series, rule: RuleDefinition) -> np.ndarray:
    numeric = pd.to_numeric(values, errors="coerce")
    held = np.ones(len(values), bool)
    if rule.at_least is not None:
        held &= (numeric >= rule.at_least).fillna(False).to_numpy()
    if rule.at_most is not None:
        held &= (numeric <= rule.at_most).fillna(False).to_numpy()
    if rule.equals is not None:
        if isinstance(rule.equals, (bool, int, float)):
            held &= (numeric == float(rule.equals)).fillna(False).to_numpy()
        else:
            held &= (values.astype(str).str.lower() == str(rule.equals).lower()).to_numpy()
    if rule.at_least is None and rule.at_most is None and rule.equals is None:
        raise ScoreError(f"a rule on `{rule.feature}` has no condition; give at_least, at_most or equals")
    return held


def apply_rules(features: pd.DataFrame, rules: dict[str, RuleDefinition]) -> RuleScores:
    """Score every row of ``features`` by the rules; unknown features are named in one error."""
    chosen = rules_or_default(rules)
    missing = sorted({r.feature for r in chosen.values() if r.feature not in features.columns})
    if missing:
        raise ScoreError(
            f"[score.rules] name feature(s) {', '.join(missing)}, which feat.property does not have; "
            f"use one of: {', '.join(c for c in features.columns if c not in ('uprn', 'as_of'))}"
        )
    available = sum(max(r.points, 0) for r in chosen.values()) or 1.0
    points = np.zeros(len(features))
    reasons: list[list[str]] = [[] for _ in range(len(features))]
    for key, rule in chosen.items():
        held = _holds(features[rule.feature], rule)
        points += np.where(held, rule.points, 0.0)
        text = rule.reason or key.replace("_", " ")
        for i in np.flatnonzero(held):
            reasons[i].append(text)
    return RuleScores(score=np.clip(points / available, 0, 1), reasons=reasons, rules=chosen)


def rules_toml(rules: dict[str, RuleDefinition] | None = None) -> str:
    """``[score.rules.*]`` sections for `oda.toml` (the defaults when ``rules`` is None), for templates."""
    lines = []
    for key, rule in (rules or DEFAULT_RULES).items():
        lines.append(f"[score.rules.{key}]")
        lines.append(f'feature = "{rule.feature}"')
        for name in ("at_least", "at_most", "equals"):
            value = getattr(rule, name)
            if value is not None:
                lines.append(f"{name} = {value!r}" if not isinstance(value, str) else f'{name} = "{value}"')
        lines.append(f"points = {rule.points:g}")
        lines.append(f'reason = "{rule.reason}"')
        lines.append("")
    return "\n".join(lines)
