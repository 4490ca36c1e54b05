"""The project file, `oda.toml`: its typed models, loading and validation, and templates."""

from oda.project.load import LoadedProject, load_project
from oda.project.models import Project

__all__ = ["LoadedProject", "Project", "load_project"]
