"""Ingest: read partners' extracts into ``raw.<source>``; every row is loaded or quarantined with a reason.

See :mod:`oda.ingest.validate` for which checks quarantine a row and which only flag it.
"""

from oda.ingest.load import IngestReport, ingest, ingest_source
from oda.ingest.reconcile import Reconciliation
from oda.ingest.validate import POSTCODE_PATTERN

__all__ = ["POSTCODE_PATTERN", "IngestReport", "Reconciliation", "ingest", "ingest_source"]
