"""Read `oda.toml`, validate it, and report every problem at once.

>>> project = load_project("borough/oda.toml")      # doctest: +SKIP
>>> project.config.sources["council_tax"].organisation
'council'
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from oda.errors import CharterIncompleteError, ProjectError
from oda.project.models import Project, StandardField

PROJECT_FILE = "oda.toml"
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class LoadedProject:
    """A validated project and where it lives; relative paths resolve against ``root``."""

    path: Path
    config: Project
    config_hash: str

    @property
    def root(self) -> Path:
        return self.path.parent

    def resolve(self, relative: str) -> Path:
        """A path from the project file, made absolute against the project folder."""
        candidate = Path(relative).expanduser()
        return candidate if candidate.is_absolute() else (self.root / candidate)

    def require_charter(self, action: str) -> None:
        """Refuse ``action`` (e.g. "score") while the charter has gaps, naming every gap."""
        gaps = self.config.charter.missing()
        if gaps:
            raise CharterIncompleteError(
                [f"{gap} is empty" if not gap.endswith(")") else gap for gap in gaps]
                + [f"fill these in [charter] of {self.path} before you {action}: oda will not "
                   f"{action} for a project whose problem, decision and owner are not declared"],
                path=str(self.path),
            )


def find_project_file(location: str | Path | None) -> Path:
    """``location`` may be a project folder, an `oda.toml`, or None for the current folder."""
    path = Path(location) if location else Path.cwd()
    if path.is_dir():
        path = path / PROJECT_FILE
    if not path.exists():
        raise ProjectError(
            [f"no project file at {path}: run `oda init DIR --template hmo` to create one, "
             f"or pass the folder that holds {PROJECT_FILE}"]
        )
    return path


def load_project(location: str | Path | None = None, *, check_files: bool = True) -> LoadedProject:
    """Parse and validate a project; raise :class:`ProjectError` listing every problem found."""
    path = find_project_file(location)
    raw_bytes = path.read_bytes()
    try:
        raw = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ProjectError([f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start}): save it as UTF-8"],
                           path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError([f"not valid TOML: {exc}. Check quotes and brackets on that line"],
                           path=str(path)) from None

    problems: list[str] = []
    try:
        config = Project.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_describe(error) for error in exc.errors())
        config = None
    problems.extend(reference_problems(raw, path.parent, check_files=check_files))
    if problems or config is None:
        raise ProjectError(problems, path=str(path))
    return LoadedProject(path=path.resolve(), config=config, config_hash=hashlib.sha256(raw_bytes).hexdigest())


def reference_problems(raw: dict, root: Path, *, check_files: bool = True) -> list[str]:
    """Problems that span sections: references between them, names, and files on disk.

    Works on the raw TOML so that these are reported even when a section fails validation.
    """
    organisations = _table(raw, "organisations")
    agreements = _table(raw, "agreements")
    sources = _table(raw, "sources")
    purpose = raw.get("purpose") or ""
    problems: list[str] = []
    for key, agreement in agreements.items():
        for party in _list(agreement, "parties"):
            if party not in organisations:
                problems.append(
                    f"agreements.{key}.parties: organisation `{party}` is not declared"
                    f"{_did_you_mean(party, organisations)}; add [organisations.{party}] or fix the name"
                )
    for name, source in sources.items():
        where = f"sources.{name}"
        if not _IDENTIFIER.match(name):
            problems.append(f"{where}: source names must be lower_snake_case (letters, digits, _), got `{name}`")
        if not isinstance(source, dict):
            continue
        organisation = source.get("organisation")
        if isinstance(organisation, str) and organisation not in organisations:
            problems.append(
                f"{where}.organisation: `{organisation}` is not declared"
                f"{_did_you_mean(organisation, organisations)}; add [organisations.{organisation}]"
            )
        agreement_key = source.get("agreement")
        agreement = agreements.get(agreement_key) if isinstance(agreement_key, str) else None
        if isinstance(agreement_key, str) and agreement is None:
            problems.append(
                f"{where}.agreement: `{agreement_key}` is not declared"
                f"{_did_you_mean(agreement_key, agreements)}; add [agreements.{agreement_key}]"
            )
        if isinstance(agreement, dict):
            parties = _list(agreement, "parties")
            if organisation in organisations and organisation not in parties:
                problems.append(
                    f"{where}: organisation `{organisation}` is not a party to agreement `{agreement_key}`; "
                    f"add it to agreements.{agreement_key}.parties or use another agreement"
                )
            purposes = _list(agreement, "purposes")
            if purpose and purpose not in purposes:
                problems.append(
                    f"{where}: agreement `{agreement_key}` does not allow purpose `{purpose}` "
                    f"(it allows: {', '.join(map(str, purposes)) or 'nothing'}); "
                    "this data may not flow into this project"
                )
        columns = source.get("columns") if isinstance(source.get("columns"), dict) else {}
        for field in _list(source, "optional"):
            if field not in columns:
                problems.append(f"{where}.optional: `{field}` is optional but not mapped in {where}.columns")
        file = source.get("path")
        if check_files and isinstance(file, str):
            resolved = Path(file).expanduser()
            resolved = resolved if resolved.is_absolute() else root / resolved
            if not resolved.exists():
                problems.append(f"{where}.path: file {resolved} does not exist; check the path "
                                f"(relative to {root})")
    gazetteer = _table(raw, "link").get("gazetteer", "gazetteer")
    if sources and gazetteer not in sources:
        problems.append(
            f"link.gazetteer: source `{gazetteer}` is not declared"
            f"{_did_you_mean(str(gazetteer), sources)}; name the source that holds the gazetteer"
        )
    return problems


def _table(raw: dict, key: str) -> dict:
    value = raw.get(key)
    return value if isinstance(value, dict) else {}


def _list(raw: dict, key: str) -> list:
    value = raw.get(key)
    return value if isinstance(value, list) else []


def _describe(error: dict) -> str:
    location = ".".join(str(part) for part in error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _known_keys(error["loc"])
        hint = _did_you_mean(str(error["loc"][-1]), known) if known else ""
        return f"{location}: unknown key{hint}; remove it or check the spelling"
    if kind == "missing":
        return f"{location}: required but missing; add it"
    if kind == "literal_error" and error["loc"][-1] == "[key]":
        section = ".".join(str(part) for part in error["loc"][:-2])
        value = str(error.get("input"))
        fields = StandardField.__args__
        return (f"{section}: `{value}` is not a standard field{_did_you_mean(value, fields)}; "
                f"use one of {', '.join(fields)}, or keep the column with `attributes`")
    if kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        return f"{location}: {error.get('input')!r} is not allowed; use one of {allowed}"
    message = error["msg"].removeprefix("Value error, ")
    return f"{location}: {message}"


def _known_keys(loc: tuple) -> list[str]:
    """The keys a section accepts, found by walking the model along ``loc``."""
    model: type = Project
    for part in loc[:-1]:
        field = getattr(model, "model_fields", {}).get(str(part))
        if field is None:
            # A dict of sections (sources.<name>): step into its value type.
            continue
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        if args and hasattr(args[-1], "model_fields"):
            model = args[-1]
        elif hasattr(annotation, "model_fields"):
            model = annotation
        else:
            return []
    return list(getattr(model, "model_fields", {}))


def _did_you_mean(value: str, choices) -> str:
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{match[0]}`?)" if match else ""
