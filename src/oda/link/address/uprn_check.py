"""Checking UPRNs that records bring with them, instead of trusting them blindly.

A supplied UPRN is compared with the gazetteer and with the record's own address:

* ``unknown`` — the gazetteer has no such UPRN (retired, mistyped, another authority's);
* ``confirmed`` — the address's own best match is that UPRN;
* ``contradicted`` — the address disagrees with it: its flat or building number conflicts with the
  gazetteer entry, or another address fits clearly better (by :data:`CLEAR_MARGIN` in log-odds);
* ``plausible`` — the address is consistent with it but fits another slightly better: the record
  goes to review with both;
* ``none`` — no UPRN supplied.

A confirmed UPRN is accepted even when the address alone would only have reached review: two
independent sources agree. Otherwise the matcher's own decision stands.
"""

from __future__ import annotations

CLEAR_MARGIN = 2.0
"""How much better (log-odds) another candidate must fit than the supplied UPRN to contradict it."""


def uprn_check_sql(supplied: str, known: str, supplied_score: str, best_uprn: str, best_score: str) -> str:
    """SQL classifying a supplied UPRN; arguments are SQL expressions."""
    return f"""CASE
        WHEN {supplied} IS NULL THEN 'none'
        WHEN NOT {known} THEN 'unknown'
        WHEN {best_uprn} = {supplied} THEN 'confirmed'
        WHEN {supplied_score} IS NULL THEN 'contradicted'
        WHEN {best_score} - {supplied_score} >= {CLEAR_MARGIN} THEN 'contradicted'
        ELSE 'plausible' END"""
