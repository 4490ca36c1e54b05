"""The worklist as an officer works it: pipeline rows joined with assignments and visits, then filtered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from oda.store.db import Store
from oda.web import queries
from oda.web.data import ProjectData, WorklistRow
from oda.web.permissions import Access

Status = Literal["unassigned", "assigned", "visited"]
STATUSES: tuple[Status, ...] = ("unassigned", "assigned", "visited")


@dataclass(frozen=True)
class Filters:
    ward: str = ""
    status: str = ""
    assignee: str = ""  # a username, "me", "nobody", or "" for anyone

    def query(self) -> dict[str, str]:
        return {k: v for k, v in (("ward", self.ward), ("status", self.status), ("assignee", self.assignee)) if v}


@dataclass(frozen=True)
class Item:
    row: WorklistRow
    assignee: str
    status: Status


def worklist_items(data: ProjectData, store: Store, access: Access) -> list[Item]:
    """Every row this user may see, in rank order, with its assignee and status."""
    rows = data.worklist(organisation_scope=access.organisation_scope)
    uprns = [r.uprn for r in rows]
    assigned, visited = queries.worklist_state(store, uprns)
    items = []
    for row in rows:
        state = assigned.get(row.uprn)
        status: Status = "visited" if row.uprn in visited else ("assigned" if state else "unassigned")
        items.append(Item(row, state.assignee if state else "", status))
    return items


def select(items: list[Item], filters: Filters, username: str) -> list[Item]:
    """The items that pass every filter; ``assignee="me"`` means ``username``."""
    wanted = username if filters.assignee == "me" else filters.assignee
    return [i for i in items
            if (not filters.ward or i.row.ward == filters.ward)
            and (not filters.status or i.status == filters.status)
            and (not wanted or (i.assignee == "" if wanted == "nobody" else i.assignee == wanted))]


BAND_COLOURS = {"very high": "#d4351c", "high": "#f47738", "medium": "#ffdd00", "low": "#00703c"}
"""Score bands on the map, in GOV.UK colours (red, orange, yellow, green); other bands are grey."""


def band_colour(band: str) -> str:
    return BAND_COLOURS.get(band.lower(), "#505a5f")
