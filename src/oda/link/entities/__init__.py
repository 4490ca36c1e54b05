"""Entity resolution: the same person or business across sources, with Splink on DuckDB or Spark.

- :mod:`~oda.link.entities.fields` — field kinds, their cleaning and their comparisons
- :mod:`~oda.link.entities.settings` — the Splink model for people or businesses from the fields present
- :mod:`~oda.link.entities.resolve` — train without labels, predict, cluster (:func:`resolve`)
- :mod:`~oda.link.entities.clusters` — clustering with a chaining guardrail, stable entity ids
- :mod:`~oda.link.entities.explain` — why a pair or an entity was linked
- :mod:`~oda.link.entities.evaluate` — precision, recall and F1 against the truth
- :mod:`~oda.link.entities.quality` — the quality report; :mod:`~oda.link.entities.views` — single views
- :mod:`~oda.link.entities.project_records` — a project's staged people and business records, as inputs
- :mod:`~oda.link.entities.stage` — the `resolve` stage of `oda run` (link.person_clusters, ...)
- :mod:`~oda.link.entities.single_views` — the single views as datasets (out.property_people, ...)
"""

from oda.link.entities.resolve import DEFAULT_THRESHOLD, Resolution, ResolveOptions, resolve

__all__ = ["DEFAULT_THRESHOLD", "Resolution", "ResolveOptions", "resolve"]
