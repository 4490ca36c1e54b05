"""The scoring stage: features → labels → rules and model → ``score.property`` with reasons.

``oda score`` runs :func:`score_project`: it refuses while the charter is incomplete, rebuilds
``feat.property`` as of the project's date (so new records and new outcomes are picked up), reads the
labels (the inspections source, the officers' outcomes in the store, the licence register), scores
every dwelling by the rules and, unless ``[score] model = "rules"``, by the learned model, and writes:

* ``score.property`` — one row per dwelling: ``uprn, score, rule_score, band, reasons, model_version,
  scored_at`` (``score`` is the model's calibrated probability, or the rule score under rules only);
* ``score.labels`` / ``score.visits`` — the labels and visits this run saw;
* ``score.models`` — one row per run: the model version, the data it saw (label counts and a hash of
  the labels), the features and the settings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from oda.datasets import PROPERTY_FEATURES, PROPERTY_SCORES
from oda.engine.base import Engine
from oda.features.build import FeatureBuild, build_project_features
from oda.features.dwellings import DWELLINGS
from oda.features.registry import FeatureColumn
from oda.project.models import ScoreSettings
from oda.score.labels import LABELS, VISITS, Labels, load_labels
from oda.score.model import HmoModel, ModelSettings
from oda.score.reasons import model_reasons, typical_ranges
from oda.score.rules import apply_rules

if TYPE_CHECKING:
    from oda.project.load import LoadedProject
    from oda.runs import RunRecorder

T = TypeVar("T")
MODELS = "score.models"
BANDS = ((0.5, "high"), (0.2, "medium"), (0.0, "low"))
REASONED_ROWS = 5_000

SCORES_SCHEMA = pa.schema([("uprn", pa.string()), ("score", pa.float64()), ("rule_score", pa.float64()),
                           ("band", pa.string()), ("reasons", pa.string()), ("model_version", pa.string()),
                           ("scored_at", pa.timestamp("us", tz="UTC"))])


@dataclass(frozen=True)
class ScoreRun:
    """What a scoring run did and saw."""

    rows: int
    method: str
    model_version: str
    as_of: dt.date
    label_counts: dict[str, int]
    labels_fingerprint: str
    features: tuple[str, ...]
    skipped_families: tuple[str, ...] = ()
    model: HmoModel | None = field(default=None, compare=False, repr=False)


def band(score: np.ndarray) -> np.ndarray:
    return np.select([score >= t for t, _ in BANDS], [name for _, name in BANDS], "low")


def model_inputs(frame: pd.DataFrame, registry: dict[str, FeatureColumn]) -> list[str]:
    """Feature columns the model may use: declared model inputs that have at least one known value."""
    return [name for name, column in registry.items()
            if column.model_input and name in frame.columns and frame[name].notna().any()]


def model_settings(settings: ScoreSettings) -> ModelSettings:
    return ModelSettings(licence_weight=settings.licence_weight, propensity_clip=settings.propensity_clip,
                         seed=settings.seed)


def score_features(engine: Engine, build: FeatureBuild, labels: Labels, settings: ScoreSettings, *,
                   now: dt.datetime | None = None, write: bool = True) -> tuple[ScoreRun, pd.DataFrame]:
    """Score every row of ``build.dataset`` and (unless ``write`` is False) write ``score.property``."""
    now = now or dt.datetime.now(dt.timezone.utc)
    frame = engine.read(build.dataset).to_pandas()
    frame["uprn"] = frame["uprn"].astype(str)
    places = engine.read(DWELLINGS, ["uprn", "ward", "street"]).to_pandas()
    places["uprn"] = places["uprn"].astype(str)
    frame = frame.merge(places, on="uprn", how="left")
    registry = {c.name: c for c in build.columns}
    rules = apply_rules(frame, settings.rules)

    training = labels.training.to_pandas()
    by_uprn = training.set_index("uprn")
    y = frame["uprn"].map(by_uprn["label"]).astype(float)
    evidence = frame["uprn"].map(by_uprn["evidence"])
    visited = frame["uprn"].isin(set(labels.visits["uprn"].to_pylist()))
    inputs = model_inputs(frame, registry)
    fingerprint = labels.fingerprint()

    model = None
    if settings.model == "gbm":
        model = HmoModel(model_settings(settings)).fit(frame[inputs], y, evidence, visited)
        score = model.predict(frame[inputs])
    else:
        score = rules.score.copy()
    method = settings.model
    digest = hashlib.sha256(json.dumps(
        [fingerprint, inputs, settings.model_dump(mode="json"), build.as_of.isoformat()], sort_keys=True
    ).encode()).hexdigest()[:12]
    version = f"{method}-{build.as_of.isoformat()}-{digest}"

    reasons: list[list[str]] = [list(r) for r in rules.reasons] if model is None else [[] for _ in range(len(frame))]
    if model is not None:
        order = np.argsort(-score, kind="stable")
        chosen = np.union1d(order[:REASONED_ROWS], np.flatnonzero(score >= BANDS[1][0]))
        contributions = model.contributions(frame[inputs])
        typical = typical_ranges(frame, frame["street"], frame["ward"],
                                 [n for n in inputs if registry[n].compare_with_street])
        for i, texts in model_reasons(chosen, frame[inputs], contributions, inputs, registry, typical).items():
            reasons[i] = texts

    frame["score"] = score
    frame["rule_score"] = rules.score
    frame["band"] = band(score)
    frame["reasons"] = [json.dumps(r, ensure_ascii=False) for r in reasons]
    frame["model_version"] = version
    frame["scored_at"] = now
    run = ScoreRun(rows=len(frame), method=method, model_version=version, as_of=build.as_of,
                   label_counts=labels.counts(), labels_fingerprint=fingerprint, features=tuple(inputs),
                   skipped_families=build.skipped, model=model)
    if write:
        write_scores(engine, frame, labels, run, settings)
    return run, frame


def write_scores(engine: Engine, frame: pd.DataFrame, labels: Labels, run: ScoreRun, settings: ScoreSettings) -> None:
    table = pa.Table.from_pandas(frame[list(SCORES_SCHEMA.names)], schema=SCORES_SCHEMA, preserve_index=False)
    record = {
        "model_version": run.model_version, "scored_at": frame["scored_at"].iat[0] if len(frame) else None,
        "as_of": run.as_of, "method": run.method, "labels_fingerprint": run.labels_fingerprint,
        "label_counts": json.dumps(run.label_counts), "features": json.dumps(list(run.features)),
        "skipped_families": json.dumps(list(run.skipped_families)),
        "settings": json.dumps(settings.model_dump(mode="json")),
        "model": json.dumps(run.model.describe() if run.model else {}),
    }
    models = pa.Table.from_pylist([record], schema=pa.schema([
        ("model_version", pa.string()), ("scored_at", pa.timestamp("us", tz="UTC")), ("as_of", pa.date32()),
        ("method", pa.string()), ("labels_fingerprint", pa.string()), ("label_counts", pa.string()),
        ("features", pa.string()), ("skipped_families", pa.string()), ("settings", pa.string()),
        ("model", pa.string())]))
    with engine.transaction():
        engine.write(PROPERTY_SCORES.name, table)
        engine.write(LABELS, labels.training)
        engine.write(VISITS, labels.visits)
        engine.write(MODELS, models, mode="append")


def load_project_labels(engine: Engine, project: "LoadedProject", *, as_of: dt.date,
                        outcomes: pa.Table | None = None) -> Labels:
    settings = project.config.score
    return load_labels(engine, as_of=as_of, outcomes=outcomes, label_source=settings.label_source,
                       licence_source=settings.licence_source,
                       date_formats={n: list(s.date_formats) for n, s in project.config.sources.items()},
                       source_names=dict(project.config.features.source_names))


def score_project(engine: Engine, project: "LoadedProject", *, outcomes: pa.Table | None = None,
                  as_of: str | dt.date | None = None, run: "RunRecorder | None" = None) -> ScoreRun:
    """The whole stage for a project (see the module docstring). Refuses while the charter has gaps."""
    project.require_charter("score")
    build = _step(run, "features", PROPERTY_FEATURES.name, lambda: build_project_features(engine, project, as_of=as_of),
                  lambda b: b.rows)
    labels = load_project_labels(engine, project, as_of=build.as_of, outcomes=outcomes)
    if run is not None:
        counts = labels.counts()
        run.add_input(source="labels", path=LABELS, sha256=labels.fingerprint(), rows_read=labels.training.num_rows,
                      rows_loaded=labels.training.num_rows, rows_quarantined=0, skipped=False)
        run.add_input(source="store.outcomes", path="store:outcomes", sha256="", rows_read=counts["visits_from_store"],
                      rows_loaded=counts["visits_from_store"], rows_quarantined=0, skipped=False)
    result, _ = _step(run, "score", PROPERTY_SCORES.name,
                      lambda: score_features(engine, build, labels, project.config.score), lambda r: r[0].rows)
    if run is not None:
        trained = result.model.training_counts_["rows"] if result.model else 0
        run.add_input(source="model", path=f"{MODELS}:{result.model_version}", sha256=result.labels_fingerprint,
                      rows_read=trained, rows_loaded=trained, rows_quarantined=0, skipped=False)
    return result


def _step(run: "RunRecorder | None", name: str, dataset: str, action: Callable[[], T],
          rows: Callable[[T], int]) -> T:
    """Run ``action``, timed as a step of ``run`` when there is one."""
    if run is None:
        return action()
    with run.step(name, dataset) as step:
        result = action()
        step.rows = rows(result)
    return result
