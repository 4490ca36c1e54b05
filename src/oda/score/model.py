"""The learned model: gradient-boosted trees on biased, positive-unlabelled labels, calibrated.

The council's labels are not a random sample. Inspections follow complaints, so inspected homes look
unlike the rest; the licence register holds only HMOs (positives) whose landlords came forward; and
most homes were never inspected at all. The model handles each:

1. **Who gets inspected.** A propensity model estimates P(inspected | features) over every dwelling
   (out of fold, so it does not memorise who was inspected). Each inspected training row is weighted
   by 1 / P(inspected), clipped at ``propensity_clip`` — inverse-propensity weighting, so that the
   rare inspections of quiet, complaint-free homes count for the many homes like them.
2. **Positive-unlabelled licence positives.** Licensed HMOs are positives but not a random sample of
   HMOs (mostly large ones), and have no matching negatives; they enter with a reduced weight
   (``licence_weight``) and never take part in calibration.
3. **Unknown is not negative.** Never-inspected and "no access" homes are not training rows at all.
4. **Calibration.** A logistic (Platt) map fitted on out-of-fold predictions of the inspected rows,
   with the same inverse-propensity weights, turns scores into probabilities for the whole stock;
   it is monotone, so the ranking is the trees' own.

>>> model = HmoModel(ModelSettings(seed=1)).fit(X, y, evidence, visited)    # doctest: +SKIP
>>> model.predict(X)[:3]
array([0.02, 0.61, 0.01])
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from oda.errors import ScoreError

MIN_EACH_CLASS = 10


@dataclass(frozen=True)
class ModelSettings:
    n_estimators: int = 300
    learning_rate: float = 0.04
    num_leaves: int = 15
    min_child_samples: int = 10
    folds: int = 5
    licence_weight: float = 0.5
    propensity_clip: float = 0.02
    seed: int = 0
    threads: int = 1


def _trees(settings: ModelSettings, **overrides: object) -> lgb.LGBMClassifier:
    params: dict = dict(n_estimators=settings.n_estimators, learning_rate=settings.learning_rate,
                        num_leaves=settings.num_leaves, min_child_samples=settings.min_child_samples,
                        subsample=0.8, subsample_freq=1, colsample_bytree=0.8, reg_lambda=1.0,
                        random_state=settings.seed, n_jobs=settings.threads, deterministic=True,
                        force_row_wise=True, verbose=-1)
    params.update(overrides)
    return lgb.LGBMClassifier(**params)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


class HmoModel:
    """Fit on every dwelling's features, the labels (NaN = unknown), their evidence, and who was visited."""

    def __init__(self, settings: ModelSettings = ModelSettings()):
        self.settings = settings

    def fit(self, X: pd.DataFrame, y: pd.Series, evidence: pd.Series, visited: pd.Series) -> "HmoModel":
        s = self.settings
        y = pd.to_numeric(y, errors="coerce")
        labelled = y.notna().to_numpy()
        positives, negatives = int((y[labelled] == 1).sum()), int((y[labelled] == 0).sum())
        if positives < MIN_EACH_CLASS or negatives < MIN_EACH_CLASS:
            raise ScoreError(
                f"too few labels to learn from: {positives} positive and {negatives} negative (need at least "
                f"{MIN_EACH_CLASS} of each). Record more visit outcomes, load the inspections source, or set "
                "[score] model = \"rules\" in oda.toml"
            )
        self.features_ = list(X.columns)
        self.propensity_ = self._propensity(X, visited.to_numpy(bool))
        evidence_all = evidence.fillna("").to_numpy()
        inspected = labelled & (evidence_all != "licence")
        weights = np.zeros(len(X))
        ipw = 1.0 / np.clip(self.propensity_, s.propensity_clip, 1.0)
        if inspected.any():
            weights[inspected] = ipw[inspected] / ipw[inspected].mean()
        weights[labelled & (evidence_all == "licence")] = s.licence_weight
        self.weights_ = weights

        rows = np.flatnonzero(labelled)
        X_train, y_train, w_train = X.iloc[rows], y.iloc[rows].astype(int).to_numpy(), weights[rows]
        oof = np.full(len(rows), np.nan)
        folds = min(s.folds, positives, negatives)
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=s.seed).split(X_train, y_train):
            fold = _trees(s).fit(X_train.iloc[train], y_train[train], sample_weight=w_train[train])
            oof[test] = fold.predict_proba(X_train.iloc[test])[:, 1]
        self.oof_ = pd.Series(oof, index=X_train.index)
        calibrate = inspected[rows]
        if calibrate.sum() < 2 * MIN_EACH_CLASS or len(set(y_train[calibrate])) < 2:
            calibrate = np.ones(len(rows), bool)
        self.calibrator_ = LogisticRegression(C=1e4).fit(
            _logit(oof[calibrate]).reshape(-1, 1), y_train[calibrate], sample_weight=w_train[calibrate])
        self.trees_ = _trees(s).fit(X_train, y_train, sample_weight=w_train)
        self.training_counts_ = {"rows": len(rows), "positive": positives, "negative": negatives,
                                 "licence_rows": int((evidence_all[rows] == "licence").sum()),
                                 "calibration_rows": int(calibrate.sum())}
        return self

    def _propensity(self, X: pd.DataFrame, visited: np.ndarray) -> np.ndarray:
        """Out-of-fold P(visited | features) for every dwelling."""
        if visited.sum() < MIN_EACH_CLASS or (~visited).sum() < MIN_EACH_CLASS:
            return np.full(len(X), max(visited.mean(), self.settings.propensity_clip))
        out = np.zeros(len(X))
        splitter = StratifiedKFold(3, shuffle=True, random_state=self.settings.seed)
        for train, test in splitter.split(X, visited):
            model = _trees(self.settings, n_estimators=150, min_child_samples=30)
            model.fit(X.iloc[train], visited[train])
            out[test] = model.predict_proba(X.iloc[test])[:, 1]
        return out

    # -- using it -------------------------------------------------------------------------------
    def raw(self, X: pd.DataFrame) -> np.ndarray:
        """The trees' uncalibrated score (for ranking ties only)."""
        return self.trees_.predict_proba(X[self.features_])[:, 1]

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of being an HMO."""
        return self.calibrator_.predict_proba(_logit(self.raw(X)).reshape(-1, 1))[:, 1]

    def contributions(self, X: pd.DataFrame) -> np.ndarray:
        """Per-feature contributions in log-odds (n × features; the bias column dropped)."""
        values = self.trees_.booster_.predict(X[self.features_], pred_contrib=True)
        return np.asarray(values)[:, : len(self.features_)]

    def describe(self) -> dict:
        return {"settings": asdict(self.settings), "features": list(self.features_),
                "training": dict(self.training_counts_),
                "calibration": {"slope": float(self.calibrator_.coef_[0][0]),
                                "intercept": float(self.calibrator_.intercept_[0])}}
