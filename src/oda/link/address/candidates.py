"""Finding the gazetteer addresses worth scoring for each messy address.

Two parts:

* **Spelling correction against the gazetteer's own words.** A word that is not in the gazetteer
  ("Hgih", "Raod", "Kestral") is mapped to the gazetteer words one edit away (a deletion,
  insertion, substitution or transposition), found through a deletion-neighbourhood index
  (symmetric delete): every gazetteer word is stored under itself and each of its one-letter
  deletions, and so is the messy word, so two words one edit apart always share a key. This runs
  once per distinct word, not per record.
* **Blocking rules**, as SQL through the engine, whose union gives the candidate pairs:

  0. the UPRN the record came with, if any (so that it can be checked);
  1. same postcode;
  2. same building number and one of the two rarest words of the gazetteer street, **within the
     postcode's sector** ("E22 4") when the postcode looks right: it is in the gazetteer and holds
     an address with that number. A borough of hundreds of wards repeats each street name in dozens
     of them ("12 Priory Road"), and an outward code spans about four wards, so blocking on the
     outward code gives twice the candidates of the sector at a million addresses. When the postcode
     looks mistyped (not in the gazetteer, or no address there has the number) the rule runs within
     the outward code, which keeps a wrong-but-near postcode in; the borough-wide rule (2w) is left
     for addresses with no postcode and for the fallback;
  3. the rarest word of the gazetteer building name ("Kestrel House"), among the words the
     address gives as a building name (all its words when it has no building number), with the
     same flat, or the building itself; within the sector or outward code as rule 2 (building
     names repeat across a large borough as street names do). For addresses with no postcode the
     rule runs borough-wide (3w), keeping an address's candidates only when they are few
     (:data:`WIDE_LIMIT`) or also share a street key word with it: a borough of a million addresses
     has dozens of "Kite Tower", "Kite Lodge", "Kite Mansions". An address without a building
     number looks up all its words but its street's ("Oak" of "Flat 3, Oak Road" is not "Oak Court");
  4. for addresses that found nothing plausible by 1–3 (no candidate covering half its street or
     building name: the sector was the wrong one): rules 2 and 3 within the outward code, same
     outward code and building number, and same postcode sector for addresses with no number at all.

  Rule 2w (number and street words anywhere in the gazetteer) applies to addresses without a
  postcode, and in the fallback to every address rules 1–3 left without a plausible candidate (its
  outward code may be the wrong one). It keeps at most :data:`WIDE_LIMIT` candidates per address,
  ranked by a cheap score: street key words shared, locality words shared, same flat, same
  postcode sector and outward code. So the right flat of a common street is kept, and memory
  stays bounded however often a street name repeats.

  Rules 2–4 do not need the postcode's unit to be right, so a missing or wrong postcode still finds the
  property.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

CORRECTION_FACTOR = 0.85
"""A corrected word counts for this share of the word it was corrected to."""
MIN_CORRECTABLE = 3
"""Shorter words are not corrected: at two letters nearly everything is one edit from something."""
WIDE_LIMIT = 40
"""Most candidates per address from the borough-wide street rule (2w), best cheap score first."""


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Damerau–Levenshtein distance of exactly one (a and b differ)."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1 or a == b:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    if la < lb:
        a, b = b, a
    for i in range(len(b) + 1):
        if a[:i] + a[i + 1:] == b:
            return True
    return False


class SpellingIndex:
    """The gazetteer's vocabulary, and corrections of words that are not in it.

    >>> index = SpellingIndex({"KESTREL": 40, "OAK": 300, "ROAD": 9000})
    >>> index.corrections("KESTRAL")
    [('KESTREL', 0.85)]
    """

    def __init__(self, document_frequency: dict[str, int]):
        self.document_frequency = document_frequency
        self._by_deletion: dict[str, list[str]] = defaultdict(list)
        for word in document_frequency:
            if len(word) >= MIN_CORRECTABLE - 1 and word.isalpha():
                self._by_deletion[word].append(word)
                for key in _deletions(word):
                    self._by_deletion[key].append(word)
        self._cache: dict[str, list[tuple[str, float]]] = {}

    def corrections(self, word: str) -> list[tuple[str, float]]:
        """``[(word, 1.0)]`` for a known word; the known words one edit away (weighted by
        :data:`CORRECTION_FACTOR`) for an unknown one; ``[]`` when there are none."""
        if word in self.document_frequency:
            return [(word, 1.0)]
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        found: list[tuple[str, float]] = []
        if len(word) >= MIN_CORRECTABLE and word.isalpha():
            near: set[str] = set()
            for key in _deletions(word) | {word}:
                near.update(self._by_deletion.get(key, ()))
            found = [(w, CORRECTION_FACTOR) for w in sorted(near) if _one_edit(word, w)]
        self._cache[word] = found
        return found

    def correct_all(self, words: Iterable[str]) -> dict[str, list[tuple[str, float]]]:
        return {w: self.corrections(w) for w in set(words)}


def wide_street_hits_sql(work: dict[str, str], *, fallback: bool) -> str:
    """Rule 2w's first half, to be written to the working table ``wide_hits`` before
    :func:`candidate_pairs_sql` runs: every pair sharing a building number (1 point; 0.5 for the
    number's digits reversed) and a street key word, with its points (``hits``). For addresses with
    no postcode; in the fallback, for those in ``need`` with one.

    A table of its own because rule 2w reads it twice (to rank the pairs, and to count the place
    words each pair shares) and the join behind it is the costliest of all the rules at a million
    addresses (≈ 150 pairs per address without a postcode); a named subquery (``WITH``) would do
    too on DuckDB, but Spark does not take one inside a ``UNION`` and recomputes it when named at
    the top."""
    scope = (f"i.outward <> '' AND i.i_id IN (SELECT i_id FROM {work['need']})" if fallback
             else "i.outward = ''")
    return f"""
        SELECT i_id, g_id, SUM(hit) AS hits FROM (
            SELECT t.i_id, k.g_id, 1.0 AS hit FROM {work['in_tok']} t
              JOIN {work['in']} i ON i.i_id = t.i_id
              JOIN {work['gaz_key']} k ON k.token = t.token AND k.num = i.num
             WHERE {scope}
            UNION ALL
            SELECT t.i_id, k.g_id, 0.5 AS hit FROM {work['in_tok']} t
              JOIN {work['in']} i ON i.i_id = t.i_id
              JOIN {work['gaz_key']} k ON k.token = t.token AND k.num = i.num_rev
             WHERE {scope}) x
        GROUP BY i_id, g_id
    """


def _wide_street_sql(work: dict[str, str]) -> str:
    """Rule 2w: the pairs of ``wide_hits`` (:func:`wide_street_hits_sql`), at most
    :data:`WIDE_LIMIT` per address, by a cheap score: the hits, the address's words found among the
    candidate's locality and town, same flat, same sector, same outward code."""
    return f"""
        SELECT i_id, g_id FROM (
            SELECT h.i_id, h.g_id, ROW_NUMBER() OVER (
                       PARTITION BY h.i_id
                       ORDER BY h.hits + COALESCE(l.places, 0)
                                + CASE WHEN g.unit = i.unit THEN 1 ELSE 0 END
                                + CASE WHEN i.sector <> '' AND g.sector = i.sector THEN 1 ELSE 0 END
                                + CASE WHEN i.outward <> '' AND g.outward = i.outward THEN 1 ELSE 0 END DESC,
                                h.g_id) AS rank
            FROM {work['wide_hits']} h
            JOIN {work['in']} i ON i.i_id = h.i_id
            JOIN {work['gaz']} g ON g.g_id = h.g_id
            LEFT JOIN (SELECT h2.i_id, h2.g_id, COUNT(*) AS places
                       FROM {work['wide_hits']} h2
                       JOIN {work['gaz_tok']} gt ON gt.g_id = h2.g_id AND gt.field IN ('L', 'P')
                       JOIN {work['in_tok']} t2 ON t2.i_id = h2.i_id AND t2.token = gt.token
                       GROUP BY h2.i_id, h2.g_id) l ON l.i_id = h.i_id AND l.g_id = h.g_id
        ) ranked WHERE rank <= {WIDE_LIMIT}
    """


def _wide_building_sql(work: dict[str, str]) -> str:
    """Rule 3w: the building-name rules (3) for addresses with no postcode, anywhere in the
    gazetteer, as two named subqueries: ``wide_building_pairs``, and ``wide_building``, the pairs
    kept. A large borough names dozens of buildings after each bird or tree ("Kite Tower", "Kite
    Mansions", "Kite Lodge"), so this rule found hundreds of candidates per address at a million
    addresses. An address keeps them all when they are at most :data:`WIDE_LIMIT`; otherwise only
    those that also share a street key word with it ("Poplar" of "Kite Tower, Poplar Street")."""
    return f"""
        wide_building_pairs AS (
            SELECT t.i_id, k.g_id FROM {work['in_btok']} t
              JOIN {work['in']} i ON i.i_id = t.i_id
              JOIN {work['gaz_bkeyo']} k ON k.token = t.token AND k.unit_rank = i.unit_rank
             WHERE i.outward = '' AND (k.num IS NULL OR i.num IS NULL OR k.num = i.num)
            UNION
            SELECT t.i_id, k.g_id FROM {work['in_tok']} t
              JOIN {work['in']} i ON i.i_id = t.i_id
              JOIN {work['gaz_bkeyo']} k ON k.token = t.token AND k.unit_rank = i.num
             WHERE i.outward = '' AND i.unit = ''
            UNION
            SELECT t.i_id, k.g_id FROM {work['in_btok']} t
              JOIN {work['in']} i ON i.i_id = t.i_id
              JOIN {work['gaz_bkeyo']} k ON k.token = t.token AND k.building
             WHERE i.outward = '' AND (k.num IS NULL OR i.num IS NULL OR k.num = i.num)
        ),
        wide_building AS (
            SELECT h.i_id, h.g_id FROM wide_building_pairs h
              JOIN (SELECT i_id FROM wide_building_pairs GROUP BY i_id
                    HAVING COUNT(*) <= {WIDE_LIMIT}) few ON few.i_id = h.i_id
            UNION
            SELECT h.i_id, h.g_id FROM wide_building_pairs h
              JOIN {work['gaz_key']} k ON k.g_id = h.g_id
              JOIN (SELECT DISTINCT i_id, token FROM {work['in_tok']}) t ON t.i_id = h.i_id AND t.token = k.token
        )"""


def _area_sql(work: dict[str, str]) -> str:
    """For each address with an outward code, whether rules 2 and 3 may block within its postcode
    sector (``by_sector = 1``): the postcode is whole, is in the gazetteer and, when the address
    has a building number, holds an address with that number. Otherwise the postcode looks
    mistyped (or is only an outward code) and they block within the outward code."""
    return f"""
        SELECT i.i_id, CASE WHEN i.sector <> '' AND known.pc IS NOT NULL
                                 AND (i.num IS NULL OR pn.pc IS NOT NULL) THEN 1 ELSE 0 END AS by_sector
        FROM {work['in']} i
        LEFT JOIN (SELECT DISTINCT pc FROM {work['gaz']} WHERE pc <> '') known ON known.pc = i.pc
        LEFT JOIN {work['pc_num']} pn ON pn.pc = i.pc AND pn.num = i.num
        WHERE i.outward <> ''
    """


def candidate_pairs_sql(work: dict[str, str], *, fallback: bool) -> str:
    """SQL for candidate pairs ``(i_id, g_id)``.

    ``work`` names the working datasets (``in``, ``in_tok``, ``gaz``, ``gaz_tok``, ``gaz_key``,
    ``gaz_keyo`` and ``gaz_bkeyo`` (the street and building keys with the outward code), ``pc_num``
    (the gazetteer's postcodes and the building numbers each holds), ``wide_hits`` (rule 2w's pairs,
    written first by :func:`wide_street_hits_sql` with the same ``fallback``), and for the fallback
    ``need``: the input ids that rules 1–3 left without a plausible candidate).
    """
    if fallback:
        return f"""
        SELECT t.i_id, k.g_id FROM {work['in_tok']} t
          JOIN {work['need']} n ON n.i_id = t.i_id
          JOIN {work['in']} i ON i.i_id = t.i_id
          JOIN {work['gaz_keyo']} k ON k.token = t.token AND k.outward = i.outward
                                   AND (k.num = i.num OR k.num = i.num_rev)
         WHERE i.outward <> ''
        UNION
        SELECT t.i_id, k.g_id FROM {work['in_btok']} t
          JOIN {work['need']} n ON n.i_id = t.i_id
          JOIN {work['in']} i ON i.i_id = t.i_id
          JOIN {work['gaz_bkeyo']} k ON k.token = t.token AND k.outward = i.outward
                                    AND (k.unit_rank = i.unit_rank OR k.building)
         WHERE i.outward <> '' AND (k.num IS NULL OR i.num IS NULL OR k.num = i.num)
        UNION
        {_wide_street_sql(work)}
        UNION
        SELECT i.i_id, g.g_id FROM {work['in']} i
          JOIN {work['need']} n ON n.i_id = i.i_id
          JOIN {work['gaz']} g ON g.outward = i.outward AND g.num = i.num
         WHERE i.outward <> '' AND i.num IS NOT NULL
        UNION
        SELECT i.i_id, g.g_id FROM {work['in']} i
          JOIN {work['need']} n ON n.i_id = i.i_id
          JOIN {work['gaz']} g ON g.sector = i.sector
         WHERE i.sector <> '' AND i.num IS NULL
        UNION
        SELECT i.i_id, g.g_id FROM {work['in']} i
          JOIN {work['need']} n ON n.i_id = i.i_id
          JOIN {work['gaz']} g ON g.unit_rank = i.num AND g.outward = i.outward
         WHERE i.outward <> '' AND i.num IS NOT NULL AND g.bname <> ''
        """
    area = _area_sql(work)
    return f"""
        WITH area AS ({area}),{_wide_building_sql(work)}
        SELECT i.i_id, g.g_id FROM {work['in']} i JOIN {work['gaz']} g ON g.pc = i.pc WHERE i.pc <> ''
        UNION
        SELECT i.i_id, g.g_id FROM {work['in']} i JOIN {work['gaz']} g ON g.uprn = i.sup_uprn
        UNION
        SELECT t.i_id, k.g_id FROM {work['in_tok']} t
          JOIN {work['in']} i ON i.i_id = t.i_id
          JOIN area a ON a.i_id = t.i_id
          JOIN {work['gaz_keyo']} k ON k.token = t.token AND k.num = i.num AND k.outward = i.outward
          JOIN {work['gaz']} g ON g.g_id = k.g_id
         WHERE a.by_sector = 0 OR g.sector = i.sector
        UNION
        SELECT t.i_id, k.g_id FROM {work['in_tok']} t
          JOIN {work['in']} i ON i.i_id = t.i_id
          JOIN area a ON a.i_id = t.i_id
          JOIN {work['gaz_keyo']} k ON k.token = t.token AND k.num = i.num_rev AND k.outward = i.outward
          JOIN {work['gaz']} g ON g.g_id = k.g_id
         WHERE a.by_sector = 0 OR g.sector = i.sector
        UNION
        {_wide_street_sql(work)}
        UNION
        SELECT i_id, g_id FROM wide_building
        UNION
        SELECT t.i_id, k.g_id FROM {work['in_btok']} t
          JOIN {work['in']} i ON i.i_id = t.i_id
          JOIN {work['gaz_bkeyo']} k ON k.token = t.token AND k.unit_rank = i.unit_rank AND k.outward = i.outward
          JOIN {work['gaz']} g ON g.g_id = k.g_id
          JOIN area a ON a.i_id = t.i_id
         WHERE (k.num IS NULL OR i.num IS NULL OR k.num = i.num) AND (a.by_sector = 0 OR g.sector = i.sector)
        UNION
        SELECT t.i_id, k.g_id FROM {work['in_tok']} t
          JOIN {work['in']} i ON i.i_id = t.i_id
          JOIN {work['gaz_bkeyo']} k ON k.token = t.token AND k.unit_rank = i.num AND k.outward = i.outward
          JOIN {work['gaz']} g ON g.g_id = k.g_id
          JOIN area a ON a.i_id = t.i_id
         WHERE i.unit = '' AND (a.by_sector = 0 OR g.sector = i.sector)
        UNION
        SELECT t.i_id, k.g_id FROM {work['in_btok']} t
          JOIN {work['in']} i ON i.i_id = t.i_id
          JOIN {work['gaz_bkeyo']} k ON k.token = t.token AND k.building AND k.outward = i.outward
          JOIN {work['gaz']} g ON g.g_id = k.g_id
          JOIN area a ON a.i_id = t.i_id
         WHERE (k.num IS NULL OR i.num IS NULL OR k.num = i.num) AND (a.by_sector = 0 OR g.sector = i.sector)
        """
