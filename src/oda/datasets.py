"""The catalogue of named datasets that stages exchange: each one's layer, grain and key columns.

Stages read and write datasets by these names through the engine; the web app reads the ``link``,
``score`` and ``out`` layers. Declaring them once here means a misspelt name fails at import, the docs
list every dataset, and a test checks that what a stage writes has the columns promised.

Per-source datasets (``raw.<source>``, ``quarantine.<source>``, ``stg.<source>``) are named by
:func:`raw`, :func:`quarantine` and :func:`staged`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    name: str
    grain: str
    columns: tuple[str, ...]
    description: str = ""

    def __str__(self) -> str:
        return self.name


def raw(source: str) -> str:
    """As loaded from the extract: one row per extract row that passed validation."""
    return f"raw.{source}"


def quarantine(source: str) -> str:
    """Rows that could not be loaded, with the original row number, raw values and the reason."""
    return f"quarantine.{source}"


def staged(source: str) -> str:
    """Standardised fields (names, dates, postcodes, phone, email) beside the raw ones."""
    return f"stg.{source}"


ADDRESS_MATCHES = Dataset(
    "link.address_matches",
    grain="one row per (source, record_id) of every source with an address",
    columns=("source", "record_id", "uprn", "probability", "tier", "runner_up_uprn", "margin", "reasons",
             "matched_to_parent"),
    description="Each record's property (UPRN); tier is exact, confident, review or unmatched.",
)
ADDRESS_REVIEW_DECISIONS = Dataset(
    "link.address_review_decisions",
    grain="one row per normalised input address an analyst has decided",
    columns=("key", "decision", "uprn", "decided_at", "decided_by", "note"),
    description="key is a hash of the normalised address; the latest decision per key wins on every run.",
)
PERSON_CLUSTERS = Dataset(
    "link.person_clusters",
    grain="one row per (source, record_id) of every source describing people",
    columns=("source", "record_id", "person_id"),
    description="Written by entity resolution once it is a pipeline stage (issue 5); the web app reads it if present.",
)
BUSINESS_CLUSTERS = Dataset(
    "link.business_clusters",
    grain="one row per (source, record_id) of every source describing businesses",
    columns=("source", "record_id", "business_id"),
    description="Written by entity resolution once it is a pipeline stage (issue 5); the web app reads it if present.",
)
PROPERTY_FEATURES = Dataset(
    "feat.property",
    grain="one row per UPRN of a dwelling in the gazetteer, as of the features' date",
    columns=("uprn", "as_of"),
    description="Signals from every linked source; the feature columns are listed in the feature registry.",
)
PROPERTY_SCORES = Dataset(
    "score.property",
    grain="one row per UPRN of a dwelling in the gazetteer",
    columns=("uprn", "score", "rule_score", "band", "reasons", "model_version", "scored_at"),
    description="score is a calibrated probability of being an HMO; reasons is a JSON list of plain sentences.",
)
WORKLIST = Dataset(
    "out.worklist",
    grain="one row per property on the current worklist",
    columns=("worklist_id", "rank", "uprn", "address", "ward", "street", "lat", "lon", "score", "band",
             "reasons", "exploration", "organisation"),
    description="exploration is true for the random slice; the web app never shows it to officers.",
)
RUNS = Dataset(
    "meta.runs",
    grain="one row per command run",
    columns=("run_id", "command", "started_at", "ended_at", "status", "config_hash", "code_version"),
)

CATALOGUE: tuple[Dataset, ...] = (
    ADDRESS_MATCHES, ADDRESS_REVIEW_DECISIONS, PERSON_CLUSTERS, BUSINESS_CLUSTERS, PROPERTY_FEATURES,
    PROPERTY_SCORES, WORKLIST, RUNS,
)
