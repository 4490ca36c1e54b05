"""One base error for everything oda reports to a user, and one subclass per stage.

Every message names what failed, the offending value, and what to do next. The CLI prints
``str(error)`` and exits with ``error.exit_code``; the web app maps the classes to status codes in
one place.
"""

from __future__ import annotations


class OdaError(Exception):
    """A problem the user can fix. Its message says what, where, and what to do."""

    exit_code = 1


class UsageError(OdaError):
    """A command was given options that cannot work together or name nothing that exists."""

    exit_code = 2


class ProjectError(OdaError):
    """`oda.toml` is missing, malformed, or inconsistent. Carries every problem found."""

    exit_code = 2

    def __init__(self, problems: list[str], path: str | None = None):
        self.problems = list(problems)
        self.path = path
        where = f" in {path}" if path else ""
        lines = [f"{len(self.problems)} problem(s){where}:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class CharterIncompleteError(ProjectError):
    """The project's charter is missing fields that must be filled before scoring or publishing."""


class EngineError(OdaError):
    """The analytical engine (DuckDB or Spark) could not do what a stage asked."""


class IngestError(OdaError):
    """An extract could not be read at all (rows that fail validation are quarantined instead)."""


class StandardiseError(OdaError):
    """A standardisation step received values it cannot handle."""


class SynthError(OdaError):
    """The synthetic borough generator was given impossible settings."""


class LinkError(OdaError):
    """Address matching or entity resolution failed."""


class StoreError(OdaError):
    """The operational store (users, outcomes, audit log) could not be reached or refused a change."""


class PermissionDenied(OdaError):
    """A user tried something their role or organisation does not allow."""

    exit_code = 3


class FeatureError(OdaError):
    """Features could not be built: an unknown family, a missing gazetteer, a bad as-of date."""


class ScoreError(OdaError):
    """Scoring could not run: no features yet, no labels to learn from, a rule naming an unknown feature."""


class WorklistError(OdaError):
    """A worklist could not be drawn or exported."""


class EvaluateError(OdaError):
    """The evaluation could not run: nothing scored yet, or a truth folder without the truth files."""
