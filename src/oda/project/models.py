"""The typed shape of `oda.toml`.

These pydantic models are the boundary between a user's file and the code: every section rejects
unknown keys, and :func:`oda.project.load.load_project` turns every validation failure into one
message per problem, with its location. Inside oda, stages read these objects and never the TOML.

A project reads top to bottom the way the ODA method works backwards: the charter (problem →
decision → intervention → information product → outcome), the organisations and agreements that
make sharing lawful, the sources each agreement covers, then one section per stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------------
# The charter: why the project exists and who acts on it.
# ---------------------------------------------------------------------------------------------

CHARTER_REQUIRED = (
    "problem",
    "decision",
    "intervention",
    "owner",
    "information_product",
    "outcome_measure",
)


class Governance(_Section):
    """Where the project stands on the paperwork that makes processing lawful."""

    agreement_in_place: bool = False
    dpia_done: bool = False
    dpia_reference: str = ""
    reviewed_by: str = ""


class Charter(_Section):
    """The four steps, written before any model is built.

    Every field may be left empty while a project is being drafted; oda refuses to score or publish
    until :meth:`missing` returns nothing.
    """

    title: str = ""
    problem: str = ""
    decision: str = Field("", description="What frontline staff would do differently if they knew more.")
    intervention: str = ""
    owner: str = Field("", description="The person or team who owns the intervention.")
    information_product: str = Field("", description="A prioritised list, an alert, a map, ...")
    outcome_measure: str = ""
    governance: Governance = Governance()

    def missing(self) -> list[str]:
        """Charter fields that must still be filled before scoring or publishing."""
        gaps = [f"charter.{name}" for name in CHARTER_REQUIRED if not getattr(self, name).strip()]
        if not self.governance.agreement_in_place:
            gaps.append("charter.governance.agreement_in_place (must be true)")
        if not self.governance.dpia_done:
            gaps.append("charter.governance.dpia_done (must be true)")
        return gaps


# ---------------------------------------------------------------------------------------------
# Who shares what, under which agreement.
# ---------------------------------------------------------------------------------------------

LawfulBasis = Literal[
    "public_task", "legal_obligation", "vital_interests", "consent", "contract", "legitimate_interests"
]


class Organisation(_Section):
    name: str
    kind: Literal["council", "police", "fire", "health", "regulator", "government", "other"] = "council"
    contact: str = ""


class Agreement(_Section):
    """A data-sharing agreement: who may share which data, for what, and for how long."""

    title: str
    parties: list[str] = Field(min_length=1, description="Keys of [organisations].")
    purposes: list[str] = Field(min_length=1, description="Purposes, e.g. 'hmo_licensing'.")
    lawful_basis: LawfulBasis
    retention_days: int = Field(gt=0)
    reference: str = ""
    expires: str = ""


# ---------------------------------------------------------------------------------------------
# Sources: each partner extract and how its columns map onto oda's standard fields.
# ---------------------------------------------------------------------------------------------

StandardField = Literal[
    "record_id",
    "uprn",
    "address",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "address_line_4",
    "address_line_5",
    "postcode",
    "title",
    "first_name",
    "middle_names",
    "surname",
    "full_name",
    "date_of_birth",
    "email",
    "phone",
    "business_name",
    "company_number",
    "start_date",
    "end_date",
    "event_date",
    "event_type",
]
"""The fields oda understands. Everything else a source carries is kept as a free attribute."""

DATE_FIELDS = ("date_of_birth", "start_date", "end_date", "event_date")

SourceFormat = Literal["csv", "excel", "parquet", "sql"]
Describes = Literal["property", "person", "business", "event"]


PERSON_NAME_FIELDS = ("first_name", "surname", "full_name")
BUSINESS_FIELDS = ("business_name", "company_number")


class SourceEntities(_Section):
    """Which people and businesses a source's records name, for entity resolution (the `resolve` stage).

    Left out, a source's records name a person when it maps a person's name (``first_name``,
    ``surname`` or ``full_name``) and a business when it maps ``business_name`` or
    ``company_number``; a ``full_name`` that reads like an organisation (``... LTD``) is a business.
    ``kind_attribute`` names a kept attribute that says, row by row, which one the name is (rows whose
    value is one of ``business_kinds`` are businesses); ``joint_name_attribute`` a kept attribute
    holding a second person the same record names (joint council-tax liability), resolved as a
    person of its own. ``residence_dates`` says the record's ``start_date``/``end_date`` are when the
    person it names lived at its address (a liability, a tenancy, a claim); ``residence_year_attribute``
    names a kept attribute holding the year a record covers (a register year, in force from 1 December
    of the year before). Either becomes the person's residence period, compared against place.
    """

    people: bool | None = None
    businesses: bool | None = None
    kind_attribute: str = ""
    business_kinds: list[str] = Field(default_factory=lambda: ["company", "business", "organisation", "charity"])
    joint_name_attribute: str = ""
    residence_dates: bool = False
    residence_year_attribute: str = ""


class SourceDefinition(_Section):
    """One extract from one organisation's system.

    Exactly one of ``path`` (a file, relative to the project folder) or ``table``/``query`` with a
    ``url`` (a SQLAlchemy database URL; secrets come from the environment via ``url_env``).
    """

    organisation: str
    agreement: str
    describes: Describes
    description: str = ""

    path: str | None = None
    format: SourceFormat | None = None
    sheet: str | int | None = None
    encoding: str | None = Field(None, description="Leave unset to detect (UTF-8, UTF-8 BOM, Windows-1252).")
    delimiter: str | None = None

    url: str | None = None
    url_env: str | None = Field(None, description="Name of an environment variable holding the database URL.")
    table: str | None = None
    query: str | None = None

    columns: dict[StandardField, str] = Field(default_factory=dict)
    optional: list[StandardField] = Field(default_factory=list)
    attributes: list[str] = Field(default_factory=list, description="Other source columns to keep.")
    date_formats: list[str] = Field(default_factory=list, description="strftime formats tried first.")
    entities: SourceEntities = Field(default_factory=SourceEntities,
                                     description="Which people and businesses the records name (resolve stage).")

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, value: str | None) -> str | None:
        if value is not None and len(value) != 1:
            raise ValueError(f"delimiter must be one character, got {value!r}")
        return value

    @model_validator(mode="after")
    def _one_location(self) -> "SourceDefinition":
        has_file = self.path is not None
        has_db = self.table is not None or self.query is not None
        if has_file == has_db:
            raise ValueError("give exactly one of `path` (a file) or `table`/`query` (with `url` or `url_env`)")
        if has_db and not (self.url or self.url_env):
            raise ValueError("a database source needs `url` or `url_env`")
        if self.table and self.query:
            raise ValueError("give `table` or `query`, not both")
        if "record_id" not in self.columns:
            raise ValueError("columns.record_id is required: map it to the column holding each record's id")
        return self

    @model_validator(mode="after")
    def _entities_name_kept_columns(self) -> "SourceDefinition":
        problems = []
        for key in ("kind_attribute", "joint_name_attribute", "residence_year_attribute"):
            header = getattr(self.entities, key)
            if header and header not in self.attributes:
                problems.append(f"entities.{key} `{header}` is not one of this source's attributes "
                                f"({', '.join(self.attributes) or 'none'}); add it to `attributes` or fix the name")
        if self.entities.people and not any(f in self.columns for f in PERSON_NAME_FIELDS):
            problems.append(f"entities.people is true but no person's name is mapped: map one of "
                            f"{', '.join(PERSON_NAME_FIELDS)} in `columns`, or set entities.people = false")
        if self.entities.businesses and not any(f in self.columns for f in (*BUSINESS_FIELDS, "full_name")):
            problems.append(f"entities.businesses is true but no business name is mapped: map one of "
                            f"{', '.join(BUSINESS_FIELDS)} (or full_name) in `columns`, or set entities.businesses = false")
        if self.entities.residence_dates and "start_date" not in self.columns:
            problems.append("entities.residence_dates is true but start_date is not mapped: map start_date "
                            "(and end_date) in `columns`, or set entities.residence_dates = false")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def names_people(self) -> bool:
        """Whether entity resolution takes people from this source's records."""
        if self.entities.people is not None:
            return self.entities.people
        return any(f in self.columns for f in PERSON_NAME_FIELDS)

    @property
    def names_businesses(self) -> bool:
        """Whether entity resolution takes businesses from this source's records."""
        if self.entities.businesses is not None:
            return self.entities.businesses
        return any(f in self.columns for f in (*BUSINESS_FIELDS, "full_name"))

    @property
    def resolved_format(self) -> SourceFormat:
        """The format given, or the one the file's extension implies."""
        if self.format:
            return self.format
        if self.path is None:
            return "sql"
        suffix = Path(self.path).suffix.lower()
        return {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "excel", ".xlsm": "excel",
                ".parquet": "parquet", ".pq": "parquet"}.get(suffix, "csv")  # type: ignore[return-value]

    @property
    def has_address(self) -> bool:
        return "address" in self.columns or "address_line_1" in self.columns


# ---------------------------------------------------------------------------------------------
# Engine and stages.
# ---------------------------------------------------------------------------------------------


class EngineSettings(_Section):
    kind: Literal["duckdb", "spark"] = "duckdb"
    database: str = Field(".oda/oda.duckdb", description="DuckDB file, relative to the project folder.")
    spark_master: str = "local[2]"
    spark_warehouse: str = Field(".oda/spark", description="Spark tables folder, relative to the project.")
    memory_limit: str = ""
    threads: int = 0


class LinkSettings(_Section):
    gazetteer: str = Field("gazetteer", description="Name of the source that is the address gazetteer.")
    review_threshold: float = Field(0.80, ge=0, le=1)
    accept_threshold: float = Field(0.95, ge=0, le=1)
    # 0.5: link two records when the model finds them more likely one entity than two (the library's
    # default, the one benchmarked). A higher threshold leaves more of one person's records apart
    # and does not buy precision at the cluster level: on a 20k-dwelling borough 0.9 gave people
    # cluster precision 0.902 against 0.938 at 0.5 (more partial clusters).
    person_threshold: float = Field(0.5, ge=0, le=1, description="Match probability at which two person records are linked.")
    business_threshold: float = Field(0.5, ge=0, le=1, description="Match probability at which two business records are linked.")


class FeatureSettings(_Section):
    as_of: str = Field("", description="ISO date features are computed as of; empty means today.")
    families: list[str] = Field(
        default_factory=lambda: [
            "electoral", "council_tax", "complaints", "benefits", "epc", "planning", "incidents",
            "licensing", "property", "neighbourhood",
        ]
    )
    source_names: dict[str, str] = Field(
        default_factory=dict,
        description="The project's name for a standard source when it differs, e.g. fire_service = \"fire_incidents\".",
    )


class RuleDefinition(_Section):
    """One criterion in inspectors' terms, e.g. ``feature = "distinct_surnames_12m"``, ``at_least = 3``."""

    feature: str
    at_least: float | None = None
    at_most: float | None = None
    equals: str | float | bool | None = None
    points: float = 1.0
    reason: str = ""


class ScoreSettings(_Section):
    model: Literal["gbm", "rules"] = "gbm"
    rules: dict[str, RuleDefinition] = Field(default_factory=dict)
    label_source: str = "inspections"
    licence_source: str = "hmo_licences"
    licence_weight: float = Field(0.5, ge=0, le=1, description="Training weight of a licence-register positive "
                                  "relative to an inspected one (they are positives, but not a random sample).")
    propensity_clip: float = Field(0.02, gt=0, le=1, description="Smallest P(inspected) used in the "
                                   "inverse-propensity weights, so no single inspection dominates.")
    seed: int = 0


class WorklistSettings(_Section):
    capacity: int = Field(200, gt=0)
    exploration_share: float = Field(0.10, ge=0, le=1)
    exclude_inspected_within_days: int = Field(365, ge=0)
    group_by: Literal["ward", "street", "none"] = "ward"
    seed: int = 0
    exclude_uprns: list[str] = Field(default_factory=list, description="Properties never to put on a worklist "
                                     "(e.g. under enforcement already).")


class ReferenceSettings(_Section):
    """Reference files a project uses besides its partners' extracts.

    ``ward_boundaries`` is a GeoJSON FeatureCollection of ward polygons in WGS84 longitude/latitude
    (RFC 7946), e.g. the ONS Open Geography Portal's "Wards (May 2024) Boundaries UK BGC" filtered to the
    borough, downloaded as GeoJSON. Each feature's properties must hold the ward's name (ONS: ``WD24NM``)
    and may hold its code (ONS: ``WD24CD``); name the two with ``ward_name_property`` and
    ``ward_code_property``. The names should match the gazetteer's ``ward`` column. Left empty, maps draw
    each ward as the outline around its addresses.
    """

    ward_boundaries: str = Field("", description="GeoJSON of ward polygons (WGS84), relative to the project folder.")
    ward_name_property: str = Field("ward_name", description="Feature property holding the ward's name (ONS: WD24NM).")
    ward_code_property: str = Field("ward_code", description="Feature property holding the ward's code (ONS: WD24CD).")


class Project(_Section):
    """A whole `oda.toml`."""

    name: str
    charter: Charter = Charter()
    organisations: dict[str, Organisation] = Field(default_factory=dict)
    agreements: dict[str, Agreement] = Field(default_factory=dict)
    sources: dict[str, SourceDefinition] = Field(default_factory=dict)
    engine: EngineSettings = EngineSettings()
    link: LinkSettings = LinkSettings()
    features: FeatureSettings = FeatureSettings()
    score: ScoreSettings = ScoreSettings()
    worklist: WorklistSettings = WorklistSettings()
    reference: ReferenceSettings = ReferenceSettings()
    purpose: str = Field("", description="The purpose, as named in agreements, this project serves.")
