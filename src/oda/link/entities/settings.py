"""One Splink model definition per entity, built from the fields present; the same for both engines.

The settings are declared without any SQL dialect (Splink resolves them once it knows the engine):
comparisons from :mod:`oda.link.entities.fields`, blocking rules chosen so that a true pair survives
when any one of its identifying fields is typed differently, and the training plan — deterministic
rules for the prior, blocking rules for the EM sessions — that estimates every parameter without labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from splink import SettingsCreator

from oda.errors import LinkError
from oda.link.entities.fields import (Entity, Field, comparison, period_comparison,
                                      period_fields, place_comparison, place_fields)

LinkType = Literal["dedupe_only", "link_only", "link_and_dedupe"]


@dataclass(frozen=True)
class TrainingPlan:
    """How parameters are estimated without labels."""

    deterministic_rules: tuple[str, ...]
    deterministic_recall: float
    em_rules: tuple[str, ...]


def _eq(*columns: str) -> str:
    return " AND ".join(f"l.{c} = r.{c}" for c in columns)


def _initial(column: str) -> str:
    return f"substr(l.{column}, 1, 1) = substr(r.{column}, 1, 1)"


def blocking_rules(entity: Entity, fields: list[Field]) -> list[str]:
    """Candidate pairs: any rule that holds makes a pair. Several narrow rules lose fewer true pairs
    than one broad one and keep the number of comparisons near-linear in the records."""
    by_kind: dict[str, list[str]] = {}
    for f in fields:
        by_kind.setdefault(f.kind, []).append(f.column)
    first = (by_kind.get("forename") or [None])[0]
    last = (by_kind.get("surname") or [None])[0]
    rules: list[str] = []
    if first and last:
        rules += [_eq(first, last), f"l.{first} = r.{last} AND l.{last} = r.{first}"]
    for dob in by_kind.get("date", []):
        rules.append(_eq(dob))
        if last:
            rules.append(f"{_eq(last)} AND substr(l.{dob}, 1, 4) = substr(r.{dob}, 1, 4)")
    for org in by_kind.get("org_name", []):
        rules.append(_eq(org))
    postcode = (by_kind.get("postcode") or [None])[0]
    if postcode and last:
        rules.append(f"{_eq(last)} AND substr(l.{postcode}, 1, length(l.{postcode}) - 2) = "
                     f"substr(r.{postcode}, 1, length(r.{postcode}) - 2)")
    for address in by_kind.get("address", []):
        if postcode:
            rules.append(_eq(address, postcode))
    for place in by_kind.get("postcode", []) + by_kind.get("address", []) + by_kind.get("uprn", []):
        if entity == "business":
            rules.append(_eq(place))
        for name in (first, last):
            if name:
                rules.append(f"{_eq(place)} AND {_initial(name)}")
    for kind in ("id", "email", "phone", "name"):
        rules += [_eq(c) for c in by_kind.get(kind, [])]
    return list(dict.fromkeys(rules))


def training_plan(entity: Entity, fields: list[Field]) -> TrainingPlan:
    """Deterministic rules for the prior, and EM sessions that between them estimate every m.

    Each EM session fixes some fields by its blocking rule and estimates the others, so the rules
    are chosen for the pairs they gather: for people never "same address" alone, where a household
    (one surname, different first names) would pass for one person, but surname *and* place (where
    first names tell people apart) and first name *and* place (where surnames do).
    """
    by_kind: dict[str, list[str]] = {}
    for f in fields:
        by_kind.setdefault(f.kind, []).append(f.column)
    first = (by_kind.get("forename") or [None])[0]
    last = (by_kind.get("surname") or [None])[0]
    dob = (by_kind.get("date") or [None])[0]
    places = by_kind.get("postcode", []) + by_kind.get("uprn", []) + by_kind.get("address", [])
    place = places[0] if places else None
    deterministic = [_eq(c) for c in by_kind.get("id", []) + by_kind.get("email", [])]
    em: list[str] = []
    if first and last:
        deterministic += [_eq(first, last, other) for other in ([dob] if dob else []) + places]
        em.append(_eq(first, last))
    if dob:
        em.append(_eq(dob))
    if place and last:
        em.append(_eq(last, place))
    if place and first:
        em.append(_eq(first, place))
    for org in by_kind.get("org_name", []):
        deterministic += [_eq(org)]
        em.append(_eq(org))
        em += [_eq(p) for p in places[:1]]
    em += [_eq(c) for c in by_kind.get("id", [])]
    if not deterministic:
        deterministic = [_eq(*[f.column for f in fields])]
    if not em:
        em = [_eq(fields[0].column)]
    return TrainingPlan(tuple(dict.fromkeys(deterministic)), 0.8, tuple(dict.fromkeys(em)))


def comparisons(fields: list[Field]) -> list:
    """One comparison per field, except the standard place fields, which share one, and the residence
    period's two ends, compared together against the place (and left out without one)."""
    place = place_fields(fields)
    apart = [f for f in fields if f.kind not in ("period_start", "period_end")]
    out = [comparison(f, fields) for f in apart if f not in place]
    if place:
        out.append(place_comparison(fields))
    if period_fields(fields):
        out.append(period_comparison(fields))
    return out


def build_settings(entity: Entity, fields: list[Field], link_type: LinkType) -> SettingsCreator:
    """Splink settings for ``entity`` records with ``fields``, untrained."""
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        source_dataset_column_name="source_dataset",
        comparisons=comparisons(fields),
        blocking_rules_to_generate_predictions=blocking_rules(entity, fields),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        additional_columns_to_retain=[],
    )


_PARAMETERS = ("m_probability", "u_probability")


def with_parameters(settings: SettingsCreator, model: dict, sql_dialect: str) -> dict:
    """``settings`` written for ``sql_dialect`` carrying the parameters of a trained ``model``.

    A trained model's SQL is in the dialect it was trained on; this moves its parameters (the prior
    and every level's m and u) onto the same comparisons written for another engine.
    """
    target = settings.create_settings_dict(sql_dialect)
    target["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    trained = {c["output_column_name"]: c for c in model["comparisons"]}
    for comparison in target["comparisons"]:
        source = trained.get(comparison["output_column_name"])
        if source is None or len(source["comparison_levels"]) != len(comparison["comparison_levels"]):
            raise LinkError(
                f"the trained model does not fit these inputs: comparison `{comparison['output_column_name']}` "
                "differs. Train a new model on these inputs (do not pass model=)"
            )
        for level, learnt in zip(comparison["comparison_levels"], source["comparison_levels"]):
            for key in _PARAMETERS:
                if key in learnt:
                    level[key] = learnt[key]
    return target
