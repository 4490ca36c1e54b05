"""oda.toml: every problem reported at once, each with its location and what to do."""

from pathlib import Path

import pytest

from oda.cli.project_commands import init_project, template_text
from oda.errors import CharterIncompleteError, ProjectError
from oda.project import load_project

BROKEN = """
name = "broken"
purpose = "hmo_licensing"

[charter]
problem = "Unlicensed HMOs"
colour = "red"

[organisations.council]
name = "The Council"
kind = "councill"

[agreements.shared]
title = "A"
parties = ["council", "polic"]
purposes = ["fire_safety"]
lawful_basis = "public_task"
retention_days = 0

[sources.council_tax]
organisation = "counci"
agreement = "shared"
describes = "person"
path = "missing.csv"

[sources.council_tax.columns]
record_id = "Ref"
postcde = "Post Code"

[sources.epc]
organisation = "council"
agreement = "nope"
describes = "property"
path = "epc.csv"
table = "epc"
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "oda.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_every_mistake_is_reported_in_one_run(tmp_path):
    with pytest.raises(ProjectError) as caught:
        load_project(write(tmp_path, BROKEN))
    problems = caught.value.problems
    expected = [
        "charter.colour: unknown key; remove it or check the spelling",
        "organisations.council.kind: 'councill' is not allowed; use one of 'council'",
        "agreements.shared.retention_days: Input should be greater than 0",
        "sources.council_tax.columns: `postcde` is not a standard field (did you mean `postcode`?)",
        "agreements.shared.parties: organisation `polic` is not declared",
        "sources.council_tax.organisation: `counci` is not declared (did you mean `council`?)",
        "sources.council_tax: agreement `shared` does not allow purpose `hmo_licensing` (it allows: fire_safety)",
        f"sources.council_tax.path: file {tmp_path / 'missing.csv'} does not exist",
        "sources.epc: give exactly one of `path` (a file) or `table`/`query`",
        "sources.epc.agreement: `nope` is not declared",
        f"sources.epc.path: file {tmp_path / 'epc.csv'} does not exist",
        "link.gazetteer: source `gazetteer` is not declared",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), f"missing {text!r} in {problems}"
    assert len(problems) == len(expected)


def test_template_validates_once_its_files_exist(tmp_path):
    init_project(tmp_path)
    with pytest.raises(ProjectError) as caught:
        load_project(tmp_path)
    assert len(caught.value.problems) == 3 and all("does not exist" in p for p in caught.value.problems)
    project = load_project(tmp_path, check_files=False)
    assert set(project.config.sources) == {"gazetteer", "council_tax", "fire_incidents"}
    assert project.config.sources["fire_incidents"].resolved_format == "excel"


def test_charter_gaps_refuse_scoring_and_name_each_field(tmp_path):
    init_project(tmp_path)
    project = load_project(tmp_path, check_files=False)
    with pytest.raises(CharterIncompleteError) as caught:
        project.require_charter("score")
    message = str(caught.value)
    for field in ("charter.problem", "charter.decision", "charter.intervention", "charter.owner",
                  "charter.governance.agreement_in_place", "charter.governance.dpia_done"):
        assert field in message
    assert "charter.information_product" not in message  # the template fills it in


def test_complete_charter_allows_scoring(tmp_path):
    text = template_text("hmo", "complete")
    for field, value in [("problem", "Unlicensed HMOs put tenants at risk"),
                         ("decision", "Inspect the flagged properties first"),
                         ("intervention", "Targeted inspection visits"), ("owner", "Head of housing")]:
        text = text.replace(f'{field} = ""', f'{field} = "{value}"', 1)
    text = text.replace("agreement_in_place = false", "agreement_in_place = true")
    text = text.replace("dpia_done = false", "dpia_done = true")
    project = load_project(write(tmp_path, text), check_files=False)
    project.require_charter("score")
    assert project.config.charter.missing() == []


def test_unknown_keys_suggest_the_nearest_known_one(tmp_path):
    init_project(tmp_path)
    text = (tmp_path / "oda.toml").read_text().replace('problem = ""', 'problm = "x"')
    text = text.replace('sheet = "Incidents"', 'sheet = "Incidents"\nformatt = "excel"')
    with pytest.raises(ProjectError) as caught:
        load_project(write(tmp_path, text), check_files=False)
    assert caught.value.problems == [
        "charter.problm: unknown key (did you mean `problem`?); remove it or check the spelling",
        "sources.fire_incidents.formatt: unknown key (did you mean `format`?); remove it or check the spelling",
    ]


def test_not_toml_says_where(tmp_path):
    with pytest.raises(ProjectError) as caught:
        load_project(write(tmp_path, 'name = "x"\n[charter\n'))
    assert "not valid TOML" in str(caught.value) and "line 2" in str(caught.value)


def test_missing_project_file_says_what_to_do(tmp_path):
    with pytest.raises(ProjectError) as caught:
        load_project(tmp_path)
    assert "oda init" in str(caught.value)
