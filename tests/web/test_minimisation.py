"""Personal columns are hidden per role whether staging named them or a source spelt them its own way."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from oda.web.permissions import PERSONAL_FIELDS
from oda.web.routes.property import hidden_personal_columns, personal_and_hidden


@pytest.mark.parametrize("column", ["date_of_birth", "DateOfBirth", "dateofbirth", "dob", "birth_date"])
def test_an_officer_never_sees_a_date_of_birth_however_it_is_spelt(column):
    officer = SimpleNamespace(personal_fields=PERSONAL_FIELDS["officer"])
    analyst = SimpleNamespace(personal_fields=PERSONAL_FIELDS["analyst"])
    assert personal_and_hidden(column, hidden_personal_columns(officer), officer)
    assert not personal_and_hidden(column, hidden_personal_columns(analyst), analyst)


def test_ordinary_columns_are_shown_to_every_role():
    for role, fields in PERSONAL_FIELDS.items():
        access = SimpleNamespace(personal_fields=fields)
        assert not personal_and_hidden("tenure", hidden_personal_columns(access), access), role
