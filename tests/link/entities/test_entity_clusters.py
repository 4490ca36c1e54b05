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
