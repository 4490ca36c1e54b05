"""The admin's users page, on SQLite and PostgreSQL: list, add, change, unlock, deactivate, reactivate;
every change in the audit log; CSRF on every form; the last admin cannot be demoted or deactivated."""

from __future__ import annotations

import pytest

from oda.errors import PermissionDenied, StoreError
from oda.store import accounts, audit
from tests.web.conftest import PASSWORD, csrf_token, sign_in


def _lock(client_for, store, username: str) -> None:
    anonymous = client_for(None)
    for _ in range(accounts.MAX_FAILED_LOGINS):
        sign_in(anonymous, username, "not the password")
    with pytest.raises(PermissionDenied, match="locked"):
        accounts.authenticate(store, username, PASSWORD)


def test_users_page_lists_role_organisation_last_sign_in_and_state(client_for, store):
    client_for("olive")  # signs in: olive has a last sign-in
    _lock(client_for, store, "fred")
    page = client_for("adam").get("/admin/users")
    assert page.status_code == 200
    rows = {line.split('data-username="')[1].split('"')[0]: line
            for line in page.text.split('<tr class="govuk-table__row"')[1:] if 'data-username="' in line}
    assert set(rows) == {"olive", "fred", "ann", "gail", "adam"}
    assert "Testshire Fire and Rescue Service" in rows["fred"] and "Locked" in rows["fred"]
    assert "officer" in rows["olive"] and "Active" in rows["olive"] and "Never" not in rows["olive"]
    assert "Never" in rows["ann"]


def test_admin_adds_a_user_who_can_then_sign_in(client_for, store):
    admin = client_for("adam")
    token = csrf_token(admin.get("/admin/users/new").text)
    refused = admin.post("/admin/users", data={"csrf_token": token, "username": "new person", "role": "chief",
                                               "organisation": "nowhere", "password": "short"})
    assert refused.status_code == 422
    for message in ("Username must be at most 64 characters with no spaces", "Select a role",
                    "Select an organisation", "Enter a first password of at least 10 characters"):
        assert message in refused.text
    taken = admin.post("/admin/users", data={"csrf_token": token, "username": "olive", "role": "officer",
                                             "organisation": "council", "password": "x" * 12})
    assert "User `olive` already exists" in taken.text
    added = admin.post("/admin/users", data={"csrf_token": token, "username": "nina", "display_name": "Nina Patel",
                                             "role": "officer", "organisation": "fire", "password": "x" * 12})
    assert added.status_code == 303 and added.headers["location"] == "/admin/users?done=added&user=nina"
    assert "Added nina" in admin.get(added.headers["location"]).text
    assert accounts.authenticate(store, "nina", "x" * 12).organisation == "fire"
    [entry] = audit.search(store, action="add_user")
    assert (entry.username, entry.object_id, entry.detail) == ("adam", "nina",
                                                               {"role": "officer", "organisation": "fire"})


def test_role_and_organisation_changes_take_effect_at_once_and_are_logged(client_for, store):
    olive = client_for("olive")
    assert olive.get("/analyst/linkage").status_code == 403
    admin = client_for("adam")
    token = csrf_token(admin.get("/admin/users/olive").text)
    response = admin.post("/admin/users/olive", data={"csrf_token": token, "role": "analyst",
                                                      "organisation": "fire", "display_name": "Olive Ng"})
    assert response.status_code == 303
    assert olive.get("/analyst/linkage").status_code == 200  # the same session, the new role
    [entry] = audit.search(store, action="change_user")
    assert entry.detail == {"role": ["officer", "analyst"], "organisation": ["council", "fire"],
                            "display_name": ["olive", "Olive Ng"]}


def test_admin_unlocks_a_locked_account(client_for, store):
    _lock(client_for, store, "fred")
    admin = client_for("adam")
    page = admin.get("/admin/users/fred")
    assert "Locked until" in page.text
    response = admin.post("/admin/users/fred/unlock", data={"csrf_token": csrf_token(page.text)})
    assert response.headers["location"] == "/admin/users?done=unlocked&user=fred"
    assert accounts.authenticate(store, "fred", PASSWORD).username == "fred"
    assert audit.search(store, action="unlock_user")[0].detail == {"was_locked": True}


def test_deactivated_user_is_signed_out_and_cannot_sign_in_until_reactivated(client_for, store):
    fred = client_for("fred")
    admin = client_for("adam")
    token = csrf_token(admin.get("/admin/users/fred").text)
    assert admin.post("/admin/users/fred/deactivate", data={"csrf_token": token}).status_code == 303
    assert fred.get("/worklist").headers["location"].startswith("/sign-in")
    assert "username or password is not right" in sign_in(client_for(None), "fred").text.lower()
    assert "Deactivated" in admin.get("/admin/users").text
    assert admin.post("/admin/users/fred/reactivate", data={"csrf_token": token}).status_code == 303
    assert sign_in(client_for(None), "fred").status_code == 303
    changes = [e.action for e in audit.search(store, object_id="fred") if e.action.endswith("_user")]
    assert changes == ["reactivate_user", "deactivate_user"]


def test_admin_cannot_lock_themselves_out(client_for, store):
    admin = client_for("adam")
    page = admin.get("/admin/users/adam")
    assert "another admin must change your role" in page.text and "/admin/users/adam/deactivate" not in page.text
    token = csrf_token(page.text)
    demoted = admin.post("/admin/users/adam", data={"csrf_token": token, "role": "analyst",
                                                    "organisation": "council"})
    assert demoted.status_code == 422 and "You cannot change your own role" in demoted.text
    deactivated = admin.post("/admin/users/adam/deactivate", data={"csrf_token": token})
    assert deactivated.status_code == 422 and "You cannot deactivate your own account" in deactivated.text
    assert accounts.get_account(store, "adam").role == "admin"
    assert not audit.search(store, action="change_user") and not audit.search(store, action="deactivate_user")


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(app, store):
    with pytest.raises(StoreError, match="`adam` is the last active admin, so you cannot make them an analyst"):
        accounts.change_account(store, "adam", role="analyst")
    with pytest.raises(StoreError, match="`adam` is the last active admin, so you cannot deactivate them"):
        accounts.set_active(store, "adam", False)
    accounts.change_account(store, "ann", role="admin")
    accounts.set_active(store, "adam", False)  # ann is an admin now, so adam may go
    with pytest.raises(StoreError, match="`ann` is the last active admin"):
        accounts.change_account(store, "ann", role="officer")


def test_every_admin_form_needs_the_csrf_token(client_for):
    admin = client_for("adam")
    for path, form in (("/admin/users", {"username": "x", "role": "officer", "organisation": "council",
                                         "password": "x" * 12}),
                       ("/admin/users/fred", {"role": "analyst", "organisation": "council"}),
                       ("/admin/users/fred/unlock", {}), ("/admin/users/fred/deactivate", {}),
                       ("/admin/users/fred/reactivate", {})):
        response = admin.post(path, data=form)
        assert response.status_code == 403 and "CSRF check failed" in response.text, path
