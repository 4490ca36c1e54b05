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
    grain="one row per (source, record_id) of every record naming a person",
    columns=("source", "record_id", "person_id"),
    description="Written by the resolve stage, with uprn, cluster_size, match_probability and joint_person_id. uprn: the property address matching found (exact or confident); "
                "match_probability: the record's strongest link into its person (empty for a person of one record); "
                "joint_person_id: the second person a joint record names (joint council-tax liability).",
)
BUSINESS_CLUSTERS = Dataset(
    "link.business_clusters",
    grain="one row per (source, record_id) of every record naming a business",
    columns=("source", "record_id", "business_id"),
    description="Written by the resolve stage, with uprn, cluster_size and match_probability as in link.person_clusters.",
)
PERSON_PAIRS = Dataset(
    "link.person_pairs",
    grain="one row per scored pair of person records with match probability of at least 0.05",
    columns=("source_l", "record_id_l", "source_r", "record_id_r", "match_probability", "match_weight", "person_id",
             "explanation"),
    description="person_id is set when both records ended in one person. explanation is a JSON list of the terms "
                "of the match weight (comparison, level, value_l, value_r, match_weight), prior first; they sum to "
                "match_weight. A joint record's second person appears as `<record_id>#2`.",
)
BUSINESS_PAIRS = Dataset(
    "link.business_pairs",
    grain="one row per scored pair of business records with match probability of at least 0.05",
    columns=("source_l", "record_id_l", "source_r", "record_id_r", "match_probability", "match_weight",
             "business_id", "explanation"),
    description="As link.person_pairs, for businesses.",
)
ENTITY_MODELS = Dataset(
    "link.entity_models",
    grain="one row per entity (person, business)",
    columns=("entity", "threshold", "trained_at", "model"),
    description="The Splink model the last resolve run trained (JSON), with the threshold it linked at.",
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
PROPERTY_PEOPLE = Dataset(
    "out.property_people",
    grain="one row per (uprn, entity_id): every person and business whose records tie them to a property",
    columns=("uprn", "entity", "entity_id", "name", "sources", "records", "first_seen", "last_seen"),
    description="entity is person or business; sources a comma-separated list; first_seen/last_seen the "
                "earliest and latest dates on those records (empty where the sources carry no dates).",
)
PERSON_ADDRESSES = Dataset(
    "out.person_addresses",
    grain="one row per (person_id, uprn)",
    columns=("person_id", "name", "uprn", "address", "sources", "records", "first_seen", "last_seen"),
    description="Each person's addresses over time, earliest first; address is the gazetteer's.",
)
BUSINESS_PROFILE = Dataset(
    "out.business_profile",
    grain="one row per business_id",
    columns=("business_id", "name", "company_number", "records", "sources", "known_to_sources", "agencies",
             "known_to_agencies", "premises", "premises_uprns", "directors", "director_ids", "events_at_premises"),
    description="The single view of a business: its names' most common form, its premises (UPRNs), the people "
                "named on its records (directors, officers, proprietors), the organisations that know it, and how "
                "many event records (complaints, incidents, inspections) were matched to its premises.",
)
BUSINESS_CONCENTRATION = Dataset(
    "out.business_concentration",
    grain="one row per event source, and one for all events together (source = 'all')",
    columns=("source", "businesses", "businesses_with_events", "events", "top_businesses", "top_share_of_businesses",
             "top_events", "top_share_of_events"),
    description="The Essex pilot's concentration analysis: what share of the events at business premises the top 5% "
                "of businesses (by events) account for.",
)
PROPERTY_RECORDS = Dataset(
    "out.property_records",
    grain="one row per linked record (source, record_id) of a property, ordered by UPRN",
    columns=("uprn", "source", "record_id", "tier", "probability", "reasons", "person_id", "business_id",
             "fields"),
    description="Written with the worklist for the web app's property page: fields is the staged record as a "
                "JSON object; reasons as in link.address_matches.",
)
RUNS = Dataset(
    "meta.runs",
    grain="one row per command run",
    columns=("run_id", "command", "started_at", "ended_at", "status", "config_hash", "code_version"),
)

CATALOGUE: tuple[Dataset, ...] = (
    ADDRESS_MATCHES, ADDRESS_REVIEW_DECISIONS, PERSON_CLUSTERS, BUSINESS_CLUSTERS, PERSON_PAIRS, BUSINESS_PAIRS,
    ENTITY_MODELS, PROPERTY_FEATURES, PROPERTY_SCORES, WORKLIST, PROPERTY_PEOPLE, PERSON_ADDRESSES, BUSINESS_PROFILE,
    BUSINESS_CONCENTRATION, PROPERTY_RECORDS, RUNS,
)
