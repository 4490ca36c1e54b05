"""Standardise: ``raw.*`` → ``stg.*``. Names, dates, postcodes, phones and emails in one form each.

Every rule is a SQL expression built through the engine's dialect (:mod:`oda.engine.base`), so the
same code gives the same table on DuckDB and on Spark. Addresses are parsed later, in linkage.
"""

from oda.standardise.postcodes import POSTCODE_PATTERN, normalise_postcode
from oda.standardise.stage import standardise_query, standardise_source

__all__ = ["POSTCODE_PATTERN", "normalise_postcode", "standardise_query", "standardise_source"]
