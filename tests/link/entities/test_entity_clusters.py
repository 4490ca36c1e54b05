"""Clustering guardrails and stable entity ids, on hand-made graphs."""

from itertools import combinations

from oda.link.entities import evaluate
from oda.link.entities.clusters import Guardrail, cluster, hashed_id, stable_ids


def _clique(nodes, p=0.99):
    return [(a, b, p) for a, b in combinations(nodes, 2)]


def _groups(labels):
    out = {}
    for i, label in enumerate(labels):
        out.setdefault(label, set()).add(i)
    return sorted(sorted(g) for g in out.values())


def test_one_weak_link_does_not_merge_two_large_clusters():
    edges = _clique(range(0, 4)) + _clique(range(4, 8)) + [(3, 4, 0.6)]
    assert _groups(cluster(8, edges, 0.5)) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    # plain connected components would chain them
    assert _groups(cluster(8, edges, 0.5, guardrail=None)) == [list(range(8))]


def test_clusters_with_enough_links_between_them_do_merge():
    edges = _clique(range(0, 4)) + _clique(range(4, 8)) + [(0, 4, 0.6), (1, 5, 0.7), (2, 6, 0.8)]
    assert _groups(cluster(8, edges, 0.5)) == [list(range(8))]


def test_a_single_record_joins_on_its_best_link_and_weak_pairs_stay_apart():
    edges = _clique(range(0, 3)) + [(3, 0, 0.55), (4, 5, 0.3)]
    assert _groups(cluster(6, edges, 0.5)) == [[0, 1, 2, 3], [4], [5]]


def test_result_does_not_depend_on_edge_order():
    edges = _clique(range(0, 3)) + _clique(range(3, 6)) + [(2, 3, 0.6), (0, 6, 0.9), (6, 3, 0.9)]
    assert cluster(7, edges, 0.5) == cluster(7, list(reversed(edges)), 0.5)


def test_guardrail_support_needed_grows_with_the_smaller_cluster():
    rail = Guardrail(min_support=0.5)
    assert rail.needed(1, 50) == 1
    assert rail.needed(2, 2) == 2
    assert rail.needed(10, 20) == 5


def test_ids_hash_the_first_member_and_carry_forward():
    keys = [("a", "1"), ("b", "9"), ("a", "2"), ("b", "3")]
    ids = stable_ids(keys, [0, 0, 1, 1], "P")
    assert ids[0] == ids[1] == hashed_id(("a", "1"), "P")
    assert ids[2] == ids[3] == hashed_id(("a", "2"), "P")
    # a new record that sorts first joins the first entity: with history the id stays
    more = [("a", "0")] + keys
    previous = dict(zip(keys, ids))
    again = stable_ids(more, [0, 0, 0, 1, 1], "P", previous)
    assert again[0] == again[1] == ids[0]
    # without history it would change
    assert stable_ids(more, [0, 0, 0, 1, 1], "P")[1] != ids[0]


def test_a_split_cluster_keeps_its_id_on_the_larger_part_and_ids_never_repeat():
    keys = [("a", str(i)) for i in range(5)]
    previous = dict(zip(keys, ["P-old"] * 5))
    ids = stable_ids(keys, [0, 0, 1, 1, 1], "P", previous)
    assert ids[2] == ids[3] == ids[4] == "P-old"
    assert ids[0] == ids[1] != "P-old"


def test_pairwise_and_cluster_scores():
    truth = {("a", "1"): 1, ("b", "1"): 1, ("a", "2"): 2, ("b", "2"): 2, ("b", "3"): 3}
    clusters = {("a", "1"): "x", ("b", "1"): "x", ("a", "2"): "y", ("b", "2"): "z", ("b", "3"): "z"}
    pairs = evaluate.pairwise_from_clusters(clusters, truth)
    assert (pairs.true_positives, pairs.false_positives, pairs.false_negatives) == (1, 1, 1)
    exact = evaluate.cluster_scores(clusters, truth)
    assert (exact.true_positives, exact.false_positives, exact.false_negatives) == (1, 2, 2)
    assert evaluate.size_distribution(clusters) == {1: 1, 2: 2}


def test_array_clustering_gives_the_same_clusters_as_the_edge_by_edge_merge():
    import random

    import numpy as np

    from oda.link.entities.clusters import cluster_arrays

    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(2, 40)
        edges = [(rng.randrange(n), rng.randrange(n), round(rng.random(), 2)) for _ in range(rng.randint(0, 80))]
        a = np.array([e[0] for e in edges], np.int64)
        b = np.array([e[1] for e in edges], np.int64)
        p = np.array([e[2] for e in edges], np.float64)
        for rail in (Guardrail(), Guardrail(min_support=0.8, large=3), None):
            assert _groups(cluster_arrays(n, a, b, p, 0.5, rail)) == _groups(cluster(n, edges, 0.5, rail))


def test_component_labels_are_the_smallest_member():
    import numpy as np

    from oda.link.entities.clusters import component_labels

    labels = component_labels(7, np.array([5, 1, 3, 2]), np.array([6, 3, 4, 1]))
    assert labels.tolist() == [0, 1, 1, 1, 1, 5, 5]


def test_links_between_household_members_are_not_followed():
    import pyarrow as pa

    from oda.link.entities.fields import Field
    from oda.link.entities.resolve import _household_links

    fields = [Field("first_name", "forename"), Field("surname", "surname"), Field("uprn", "uprn"),
              Field("postcode", "postcode")]
    pairs = pa.table({"gamma_first_name": [0, 4, 0, None], "mw_place": [9.4, 9.4, -1.0, 9.4]})
    # different first names at one place: a household; same first name, or different places: not
    assert _household_links(pairs, fields).tolist() == [True, False, False, False]


def _facts(n, place=None, start=None, end=None, born=None, middle=None, partner=None):
    import numpy as np

    from oda.link.entities.clusters import RecordFacts

    def arr(values, fill, dtype):
        return np.array(values if values is not None else [fill] * n, dtype)

    return RecordFacts(arr(place, -1, np.int64), arr(start, np.nan, np.float64), arr(end, np.nan, np.float64),
                       born or [None] * n, middle or [None] * n, arr(partner, -1, np.int64))


def test_two_dates_of_birth_are_never_one_person_but_a_typo_is():
    edges = [(0, 1, 0.9), (1, 2, 0.9), (2, 3, 0.8)]
    # 0 and 3 carry dates of birth that cannot be one typed twice; 2's is 0's with one digit wrong
    facts = _facts(4, born=["19780918", None, "19780919", "19511211"])
    assert _groups(cluster(4, edges, 0.5, None, facts)) == [[0, 1, 2], [3]]
    assert _groups(cluster(4, edges, 0.5, None)) == [[0, 1, 2, 3]]


def test_a_listed_middle_name_and_none_listed_are_two_people_unless_the_source_lists_none():
    edges = [(0, 1, 0.9), (1, 2, 0.8), (2, 3, 0.7)]
    # '' = the register lists no middle name; None = the source (council tax) has none to list
    facts = _facts(4, middle=["", None, "gwen", "g"])
    assert _groups(cluster(4, edges, 0.5, None, facts)) == [[0, 1], [2, 3]]


def test_years_at_two_properties_at_once_part_namesakes_but_a_late_register_entry_does_not():
    import numpy as np

    year = 365.0
    starts = [0, year, 2 * year, year, 2 * year]
    ends = [s + year - 1 for s in starts]
    # 0-2: one person at property 1 for three years; 3-4: a namesake at property 2 for years two and three
    edges = [(0, 1, 0.99), (1, 2, 0.99), (3, 4, 0.99), (2, 3, 0.9)]
    facts = _facts(5, place=[1, 1, 1, 2, 2], start=starts, end=ends)
    assert _groups(cluster(5, edges, 0.5, None, facts)) == [[0, 1, 2], [3, 4]]
    # a mover: the old property's entry kept one year after the move overlaps the new one by a year
    mover = _facts(5, place=[1, 1, 1, 2, 2], start=[0, year, 2 * year, 2 * year, 3 * year],
                   end=[year - 1, 2 * year - 1, 3 * year - 1, 3 * year - 1, 4 * year - 1])
    assert _groups(cluster(5, edges, 0.5, None, mover)) == [[0, 1, 2, 3, 4]]
    assert not np.isnan(mover.start).any()


def test_the_two_people_of_a_joint_record_stay_apart_and_arrays_agree():
    import numpy as np

    from oda.link.entities.clusters import cluster_arrays

    # 0 and 1 are the two people one joint record names; 2 is linked to both
    edges = [(0, 2, 0.9), (1, 2, 0.8), (3, 4, 0.9)]
    facts = _facts(5, partner=[-1, 0, -1, -1, -1])
    assert _groups(cluster(5, edges, 0.5, Guardrail(), facts)) == [[0, 2], [1], [3, 4]]
    a, b, p = (np.array([e[i] for e in edges]) for i in range(3))
    assert _groups(cluster_arrays(5, a, b, p, 0.5, Guardrail(), facts)) == [[0, 2], [1], [3, 4]]


def test_record_facts_from_prepared_records():
    import pyarrow as pa

    from oda.link.entities.fields import fields_for
    from oda.link.entities.resolve import record_facts

    records = pa.table({
        "source_dataset": ["tax", "tax", "tax", "roll"], "unique_id": ["7", "7#2", "8", "7"],
        "first_name": ["ann", "bob", "cy", "ann"], "dob": [None, None, "19800101", None],
        "middle_name": [None, None, None, "jo"], "uprn": ["11", "11", None, "12"],
        "resident_from": [100, 100, None, 50], "resident_to": [200, 200, None, None],
    })
    facts = record_facts(records, fields_for(records.column_names, "person"))
    assert facts.partner.tolist() == [-1, 0, -1, -1]
    assert facts.place[0] == facts.place[1] != facts.place[3] and facts.place[2] == -1
    assert facts.born == [None, None, "19800101", None] and facts.middle[3] == "jo"
    assert facts.start.tolist()[:2] == [100.0, 100.0]


def test_array_clustering_with_facts_gives_the_same_clusters_as_the_edge_by_edge_merge():
    import random

    import numpy as np

    from oda.link.entities.clusters import cluster_arrays

    rng = random.Random(11)
    for _ in range(100):
        n = rng.randint(2, 30)
        edges = [(rng.randrange(n), rng.randrange(n), round(rng.random(), 2)) for _ in range(rng.randint(0, 60))]
        start = [float(rng.randrange(0, 2000)) for _ in range(n)]
        facts = _facts(n, place=[rng.choice([-1, 1, 2, 3]) for _ in range(n)], start=start,
                       end=[s + rng.randrange(0, 900) for s in start],
                       born=[rng.choice([None, None, "19800101", "19511211"]) for _ in range(n)],
                       middle=[rng.choice([None, "", "ann"]) for _ in range(n)],
                       partner=[rng.choice([-1] * 5 + list(range(n))) for _ in range(n)])
        a = np.array([e[0] for e in edges], np.int64)
        b = np.array([e[1] for e in edges], np.int64)
        p = np.array([e[2] for e in edges], np.float64)
        for rail in (Guardrail(), None):
            expected = _groups(cluster(n, edges, 0.5, rail, facts))
            assert _groups(cluster_arrays(n, a, b, p, 0.5, rail, facts)) == expected
            # merged in batches of whole components (a batch per one or two records here)
            assert _groups(cluster_arrays(n, a, b, p, 0.5, rail, facts, batch_records=2)) == expected


def test_batches_of_the_edge_by_edge_merge_keep_components_whole():
    import numpy as np

    from oda.link.entities.clusters import _component_batches

    labels = np.array([0, 0, 0, 3, 3, 5, 5, 5, 5])
    left, right = np.array([0, 1, 3, 5, 6, 7]), np.array([1, 2, 4, 6, 7, 8])
    batch = _component_batches(labels, left, right, batch_records=4)
    assert batch.tolist() == [0, 0, 0, 1, 1, 1]  # components of 3, 2 and 4 records: the first two fill a batch
    assert len(set(_component_batches(labels, left, right, batch_records=1).tolist())) == 3
