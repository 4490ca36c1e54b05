"""oda: an open toolkit for an Office of Data Analytics.

Declare a project in ``oda.toml``, ingest partners' extracts, link every record to a property (UPRN)
and to the people and businesses behind it, score risk, publish worklists, and evaluate honestly.
"""

__version__ = "0.1.0"
