"""The feature registry: every feature family declares itself here.

A family is one small module in :mod:`oda.features.families`. It names the sources it reads, the
columns it produces (each with a plain-language description and the sentence a reason uses), and a
function that returns one SQL ``SELECT uprn, <columns>`` over its sources as of a date. Adding a
family is writing that module and listing its name in ``[features] families`` of `oda.toml`::

    FAMILY = register(FeatureFamily(
        name="incidents",
        sources=("fire_service", "police_asb"),
        description="Fire and police incidents at the address.",
        columns=(FeatureColumn("fire_incidents_24m", "Fire service incidents in the last 2 years",
                               "{value:g} fire service incidents in the last 2 years"),),
        build=_build,
    ))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Literal

from oda.errors import FeatureError

if TYPE_CHECKING:
    from oda.features.context import FeatureContext

ColumnKind = Literal["count", "flag", "number", "category"]


@dataclass(frozen=True)
class FeatureColumn:
    """One column of ``feat.property``.

    ``reason`` is a ``str.format`` template with ``{value}`` (and, when the street comparison is
    known, the sentence adds "typical for this street: …"). ``model_input=False`` keeps a column out
    of the learned model (e.g. licence status, which is an eligibility rule, not a signal).
    """

    name: str
    description: str
    reason: str
    kind: ColumnKind = "count"
    model_input: bool = True
    compare_with_street: bool = True
    categories: tuple[str, ...] = ()

    def label(self, value: float) -> str:
        """How a value reads to an officer: a category's name (band 3 → "C"), else a tidy number."""
        if self.categories and float(value).is_integer() and 1 <= int(value) <= len(self.categories):
            return self.categories[int(value) - 1]
        if float(value).is_integer() or self.kind in ("count", "flag"):
            return f"{round(float(value)):d}"
        return f"{float(value):.1f}"

    def sentence(self, value: float | str) -> str:
        if isinstance(value, (int, float)):
            value = self.label(value)
        template = singular(self.reason) if value == "1" else self.reason
        try:
            return template.format(value=value)
        except (ValueError, KeyError):
            return f"{self.description}: {value}"


_IRREGULAR = {"people": "person", "children": "child"}


def singular(template: str) -> str:
    """A reason template read for a count of one: "{value} different surnames on …" → "{value} surname on …".

    The noun counted is the first word after ``{value}`` that is plural; "different" goes, since one of
    something is not different from anything.
    """
    head, marker, tail = template.partition("{value} ")
    if not marker:
        return template
    words = tail.split(" ")
    if words and words[0] == "different":
        words = words[1:]
    for i, word in enumerate(words):
        if word in _IRREGULAR:
            words[i] = _IRREGULAR[word]
            break
        if word.endswith("ies") and len(word) > 4:
            words[i] = word[:-3] + "y"
            break
        if word.endswith("esses"):
            words[i] = word[:-2]
            break
        if word.endswith("s") and not word.endswith("ss"):
            words[i] = word[:-1]
            break
    return head + marker + " ".join(words)


BuildSql = Callable[["FeatureContext"], "str | None"]


@dataclass(frozen=True)
class FeatureFamily:
    """A named group of features from one or a few sources. ``build`` returns SQL or None (no sources)."""

    name: str
    sources: tuple[str, ...]
    description: str
    columns: tuple[FeatureColumn, ...]
    build: BuildSql


_FAMILIES: dict[str, FeatureFamily] = {}


def register(family: FeatureFamily) -> FeatureFamily:
    """Add ``family`` to the registry (a family module calls this at import)."""
    if family.name in _FAMILIES and _FAMILIES[family.name] is not family:
        raise FeatureError(f"two feature families are called `{family.name}`; rename one of them")
    _FAMILIES[family.name] = family
    return family


def families() -> dict[str, FeatureFamily]:
    """Every registered family by name (importing the built-in ones first)."""
    import oda.features.families  # noqa: F401 - registers the built-in families

    return dict(_FAMILIES)


def family(name: str) -> FeatureFamily:
    known = families()
    if name not in known:
        raise FeatureError(
            f"feature family `{name}` is not known; [features] families in oda.toml may list: "
            f"{', '.join(sorted(known))}"
        )
    return known[name]


def columns(names: list[str] | tuple[str, ...] | None = None) -> dict[str, FeatureColumn]:
    """Every feature column of the named families (all families when None), by column name."""
    chosen = [family(n) for n in names] if names is not None else list(families().values())
    return {c.name: c for f in chosen for c in f.columns}


def describe(names: list[str] | tuple[str, ...] | None = None) -> str:
    """Markdown documenting the families (all registered ones when None): sources and columns."""
    chosen = [family(n) for n in names] if names is not None else sorted(families().values(), key=lambda f: f.name)
    lines = []
    for fam in chosen:
        lines += [f"## `{fam.name}`", "", fam.description, "", f"Sources: {', '.join(fam.sources)}.", "",
                  "| column | meaning | kind | model input |", "|---|---|---|---|"]
        lines += [f"| `{c.name}` | {c.description} | {c.kind} | {'yes' if c.model_input else 'no'} |" for c in fam.columns]
        lines.append("")
    return "\n".join(lines)
