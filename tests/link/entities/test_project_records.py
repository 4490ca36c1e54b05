"""The resolve stage's inputs carry every piece of evidence a source's mapping declares, on DuckDB and Spark.

Title, middle names (a blank is "none" only in a source that maps them), date of birth, and the
residence period from a source's dates (``residence_dates``) or its register year
(``residence_year_attribute``); a joint record's second person gets its own title and middle name.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from oda.engine.base import Engine
from oda.link.entities.project_records import entity_inputs
from oda.project.models import Project
from tests.engine_fixtures import engine, engine_kind, spark_keepalive  # noqa: F401


def _source(describes: str, columns: dict[str, str], attributes: list[str] = (), entities: dict | None = None) -> dict:
    entry = {"organisation": "council", "agreement": "a", "describes": describes, "path": "x.csv",
             "columns": columns, "attributes": list(attributes)}
    if entities:
        entry["entities"] = entities
    return entry


@pytest.fixture
def project() -> Project:
    return Project.model_validate({
        "name": "records",
        "organisations": {"council": {"name": "Council"}},
        "agreements": {"a": {"title": "A", "parties": ["council"], "purposes": ["p"],
                             "lawful_basis": "public_task", "retention_days": 30}},
        "sources": {
            "register": _source("person", {"record_id": "Ref", "title": "Title", "first_name": "Forename",
                                           "middle_names": "Middle", "surname": "Surname"},
                                ["Register Year"], {"residence_year_attribute": "Register Year"}),
            "tax": _source("property", {"record_id": "Ref", "full_name": "Liable", "start_date": "From",
                                        "end_date": "To"},
                           ["Joint"], {"joint_name_attribute": "Joint", "residence_dates": True}),
            "licences": _source("property", {"record_id": "Ref", "full_name": "Holder", "start_date": "Issued",
                                             "date_of_birth": "Born"}),
        },
    })


def _fill(engine: Engine) -> None:
    engine.write("stg.register", pa.table({
        "record_id": ["R1", "R2"], "title": ["MRS", "MR"], "first_name": ["ANN", "BOB"],
        "middle_names": ["MARY", None], "surname": ["LEE", "LEE"], "register_year": [2023, 2024]}))
    engine.write("stg.tax", pa.table({
        "record_id": ["T1"], "full_name": ["MRS ANN LEE"], "title": ["MRS"], "first_name": ["ANN"],
        "middle_names": pa.array([None], pa.string()), "surname": ["LEE"], "joint": ["MR ROBERT JOHN LEE"],
        "start_date": [dt.date(2020, 4, 1)], "end_date": pa.array([None], pa.date32())}))
    engine.write("stg.licences", pa.table({
        "record_id": ["L1"], "full_name": ["ANN LEE"], "title": pa.array([None], pa.string()), "first_name": ["ANN"],
        "middle_names": pa.array([None], pa.string()), "surname": ["LEE"], "start_date": [dt.date(2021, 1, 1)],
        "date_of_birth": [dt.date(1980, 2, 3)]}))


def _by_id(inputs: dict[str, pa.Table]) -> dict[str, dict]:
    return {f"{s}/{r['unique_id']}": r for s, t in inputs.items() for r in t.to_pylist()}


def test_person_inputs_carry_title_middle_names_dob_and_residence_period(engine, project):
    _fill(engine)
    rows = _by_id(entity_inputs(engine, project, "person"))
    assert set(rows) == {"register/R1", "register/R2", "tax/T1", "tax/T1#2", "licences/L1"}
    ann, bob = rows["register/R1"], rows["register/R2"]
    assert (ann["title"], ann["middle_name"], bob["middle_name"]) == ("MRS", "MARY", "")  # the register lists them
    # A register year is in force from 1 December of the year before.
    assert (ann["resident_from"], ann["resident_to"]) == ("2022-12-01", "2023-11-30")
    tax = rows["tax/T1"]
    assert tax["middle_name"] is None  # a name without one says nothing about middle names here
    # A liability left open stays open (the comparison reads it as the moment it began).
    assert (tax["resident_from"], tax["resident_to"]) == ("2020-04-01", None)
    second = rows["tax/T1#2"]
    assert (second["title"], second["first_name"], second["middle_name"], second["surname"]) == (
        "MR", "ROBERT", "JOHN", "LEE")
    assert second["resident_from"] == "2020-04-01"
    # A licence's dates are not the holder's residence (no residence_dates); the date of birth is evidence.
    licence = rows["licences/L1"]
    assert (licence["resident_from"], licence["dob"]) == (None, "1980-02-03")


def test_without_residence_settings_no_period_is_compared(engine, project):
    _fill(engine)
    plain = project.model_copy(update={"sources": {
        name: source.model_copy(update={"entities": source.entities.model_copy(
            update={"residence_dates": False, "residence_year_attribute": ""})})
        for name, source in project.sources.items()}})
    inputs = entity_inputs(engine, plain, "person")
    assert all("resident_from" not in t.column_names for t in inputs.values())  # all-empty fields are left out
    assert all("title" in t.column_names for t in inputs.values())


def test_residence_dates_need_a_mapped_start_date():
    with pytest.raises(ValueError, match="residence_dates is true but start_date is not mapped"):
        Project.model_validate({
            "name": "x", "organisations": {"council": {"name": "Council"}},
            "agreements": {"a": {"title": "A", "parties": ["council"], "purposes": ["p"],
                                 "lawful_basis": "public_task", "retention_days": 30}},
            "sources": {"s": _source("person", {"record_id": "Ref", "full_name": "Name"},
                                     entities={"residence_dates": True})}})
