"""The matcher's last step as SQL: decided rows → the answer per address.

Applies the supplied-UPRN check to the tier, the analyst's remembered review decisions (joined by
review key, :mod:`oda.link.address.review`), and writes the ``reasons`` text. It runs in the engine,
so on Spark the answers are written where they lie and never pass through the driver. The SQL is the
same on DuckDB and Spark and gives the same text on both: numbers in ``reasons`` are rounded the way
Python's ``format`` rounds them (see :func:`tenths_sql`), not by either engine's own formatting.
"""

from __future__ import annotations

from oda.engine.base import Engine
from oda.link.address.review import DECISIONS

NO_CANDIDATE = "no gazetteer address shares a postcode, street and number, or building name"
KEY_LENGTH = 20
"""Hex digits of the SHA-1 of the normalised address that make a review key (:func:`review.key_of`)."""


def _half_even(n: str, above: str, below: str) -> str:
    """``n`` or ``n + 1``: the first when ``below``, the second when ``above``, the even one on a tie."""
    return (f"CAST(CASE WHEN {above} THEN {n} + 1 WHEN {below} THEN {n} "
            f"WHEN {n} % 2 = 0 THEN {n} ELSE {n} + 1 END AS BIGINT)")


def percent_sql(x: str) -> str:
    """``format(x, '.0%')`` for ``x >= 0``: Python multiplies by 100 in floating point, then rounds
    the exact binary value half to even. ``v - FLOOR(v)`` is exact, so the comparison with one half is."""
    v = f"({x}) * 100"
    n = f"FLOOR({v})"
    rounded = _half_even(n, f"{v} - {n} > 0.5", f"{v} - {n} < 0.5")
    return f"CAST({rounded} AS STRING) || '%'"


def tenths_sql(x: str) -> str:
    """``format(x, '.1f')`` for ``x >= 0``, exactly as Python rounds (the exact binary value, half to
    even), on any engine: with ``n = FLOOR(10x)``, the sign of ``20x - (2n + 1)`` says on which side of
    the midpoint x lies. It is computed as ``(16x - (2n + 1)) + 4x``: ``16x`` and ``4x`` are exact, the
    subtraction is exact near the midpoint (Sterbenz), and the last rounding keeps the sign."""
    n = f"FLOOR(({x}) * 10)"
    side = f"((16 * ({x}) - (2 * {n} + 1)) + 4 * ({x}))"
    tenths = _half_even(n, f"{side} > 0", f"{side} < 0")
    return (f"CAST(CAST(FLOOR({tenths} / 10) AS BIGINT) AS STRING) || '.' "
            f"|| CAST({tenths} - 10 * CAST(FLOOR({tenths} / 10) AS BIGINT) AS STRING)")


def reasons_sql(d: str = "d") -> str:
    """Why the matcher decided as it did, from a decided row ``d`` (before the UPRN check and review)."""
    def part(condition: str, text: str) -> str:
        return f"CASE WHEN {condition} THEN {text} ELSE '' END"

    return f"""CASE WHEN {d}.candidate_uprn IS NULL THEN '{NO_CANDIDATE}' ELSE
        'postcode ' || {d}.pc_level || '; number ' || {d}.num_level || '; flat ' || {d}.flat_level
        || {part(f"{d}.street_none = 0", f"'; street ' || {percent_sql(f'{d}.street_cov')}")}
        || {part(f"{d}.bname_none = 0", f"'; building name ' || {percent_sql(f'{d}.bname_cov')}")}
        || {part(f"{d}.unexplained >= 1.5", f"'; unexplained words ' || {tenths_sql(f'{d}.unexplained')}")}
        || {part(f"{d}.matched_to_parent", "'; matched to the building (parent UPRN)'")}
        || {part(f"{d}.runner_up_uprn IS NOT NULL",
                 f"'; runner-up ' || CAST({d}.runner_up_uprn AS STRING) || ' by ' || {tenths_sql(f'{d}.margin')}")}
        END"""


def latest_decisions_sql(engine: Engine) -> str:
    """The latest review decision per key (``key, decision, uprn``); no rows when none was ever made."""
    if not engine.exists(DECISIONS):
        return ("SELECT CAST(NULL AS STRING) AS key, CAST(NULL AS STRING) AS decision, "
                "CAST(NULL AS BIGINT) AS uprn WHERE 1 = 0")
    return f"""SELECT key, decision, uprn FROM (
                   SELECT key, decision, uprn,
                          ROW_NUMBER() OVER (PARTITION BY key ORDER BY decided_at DESC) AS newest
                   FROM {DECISIONS}) x WHERE newest = 1"""


def finish_sql(decided: str, lines: str, engine: Engine) -> str:
    """The answer per address (``id``, ``uprn``, ``probability``, ``tier``, ``candidate_uprn``,
    ``runner_up_uprn``, ``margin``, ``matched_to_parent``, ``uprn_check``, ``reasons``,
    ``normalised_address``, ``review_key``), in ``i_id`` order.

    ``decided``: the decided rows (SQL); ``lines``: a relation of ``i_id, id, normalised_address``."""
    return f"""
    WITH d AS ({decided}),
    k AS (SELECT i_id, id, normalised_address,
                 SUBSTR(sha1(normalised_address), 1, {KEY_LENGTH}) AS review_key FROM {lines} l),
    dec AS ({latest_decisions_sql(engine)}),
    t AS (
        SELECT d.*, k.id, k.normalised_address, k.review_key, dec.decision, dec.uprn AS decided_uprn,
               CASE WHEN d.uprn_check = 'confirmed' AND d.tier IN ('review', 'unmatched') THEN 'confident'
                    WHEN d.uprn_check = 'plausible' AND d.tier IN ('exact', 'confident') THEN 'review'
                    ELSE d.tier END AS checked_tier,
               {reasons_sql('d')} AS why
        FROM d JOIN k ON k.i_id = d.i_id LEFT JOIN dec ON dec.key = k.review_key
    )
    SELECT id,
           CASE WHEN decision = 'reject' THEN CAST(NULL AS BIGINT)
                WHEN decision IS NOT NULL THEN decided_uprn
                WHEN checked_tier IN ('exact', 'confident') THEN candidate_uprn END AS uprn,
           probability,
           CASE WHEN decision = 'reject' THEN 'unmatched' WHEN decision IS NOT NULL THEN 'confident'
                ELSE checked_tier END AS tier,
           candidate_uprn, runner_up_uprn, margin, matched_to_parent, uprn_check,
           why || CASE WHEN uprn_check <> 'none' THEN '; supplied UPRN ' || uprn_check ELSE '' END
               || CASE WHEN decision IS NULL THEN ''
                       WHEN decision = 'reject' THEN '; analyst rejected every candidate'
                       ELSE '; analyst ' || CASE WHEN decision = 'accept' THEN 'accepted' ELSE 'chose' END
                            || ' ' || COALESCE(CAST(decided_uprn AS STRING), 'None') END AS reasons,
           normalised_address, review_key
    FROM t ORDER BY i_id"""
