"""Resolution end to end on FEBRL4 and on hand-made hard cases."""

import math

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from oda.link.entities import evaluate
from oda.link.entities.explain import explain_cluster, explain_pair, find_pair, waterfall_svg
from oda.link.entities.resolve import ResolveOptions, resolve
from .febrl_cases import EXTRA, febrl4_subset, truth_of, without_truth


def _cluster_of(resolution):
    c = resolution.clusters
    return dict(zip(zip(c["source"].to_pylist(), c["unique_id"].to_pylist()), c["cluster_id"].to_pylist()))


@pytest.mark.parametrize("case, comparison, level", [
    ("nickname", "first_name", "nickname of the same name"),
    ("initial", "first_name", "initial agrees"),
    ("swapped", "first_name", "forename and surname swapped"),
    ("day_month", "dob", "day and month swapped"),
    ("digits", "dob", "Damerau-Levenshtein distance of dob <= 1"),
])
def test_hard_cases_link_and_say_why(subset_resolution, case, comparison, level):
    a, b = ("a", f"case-{case}-a"), ("b", f"case-{case}-b")
    assert _cluster_of(subset_resolution)[a] == _cluster_of(subset_resolution)[b]
    pair = find_pair(subset_resolution.pairs, a, b)
    steps = {s["comparison"]: s for s in explain_pair(pair, subset_resolution.model)}
    assert steps[comparison]["level"] == level
    assert steps[comparison]["match_weight"] > 0, f"{level} should count for the match"


def test_explanation_terms_sum_to_the_match_weight(subset_resolution):
    for pair in subset_resolution.pairs.slice(0, 200).to_pylist():
        steps = explain_pair(pair, subset_resolution.model)
        assert math.isclose(sum(s["match_weight"] for s in steps[:-1]), pair["match_weight"], abs_tol=1e-6)
        assert steps[-1]["comparison"] == "total"


def test_cluster_explanation_and_offline_chart(subset_resolution):
    cluster_id = _cluster_of(subset_resolution)[("a", "case-nickname-a")]
    explained = explain_cluster(subset_resolution, cluster_id)
    assert explained["records"] == [("a", "case-nickname-a"), ("b", "case-nickname-b")]
    assert explained["mean_contribution"]["surname"] > 0
    svg = waterfall_svg(explained["weakest_link"])
    assert svg.startswith("<svg") and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "nickname of the same name" in svg


def test_subset_accuracy_against_the_truth(subset_tables, subset_resolution):
    truth = truth_of(subset_tables)
    links = subset_resolution.links()
    predicted = zip(zip(links["source_l"].to_pylist(), links["unique_id_l"].to_pylist()),
                    zip(links["source_r"].to_pylist(), links["unique_id_r"].to_pylist()))
    assert evaluate.pairwise(predicted, truth, cross_source_only=True).f1 >= 0.998
    assert evaluate.cluster_scores(_cluster_of(subset_resolution), truth).f1 >= 0.998


def test_ids_stay_when_a_few_records_are_added(subset_tables, subset_resolution):
    first = _cluster_of(subset_resolution)
    more = {name: table for name, table in febrl4_subset(1530).items()}
    # the 30 new people arrive in both sources; the hand-made cases stay as they were
    tables = {name: more[name].drop_columns(["truth"]) for name in more}
    again = resolve(tables, ResolveOptions(extra_fields=EXTRA, link_type="link_only"), previous=first)
    second = _cluster_of(again)
    old = [k for k in second if k in first]
    assert len(old) >= 2900
    assert sum(second[k] == first[k] for k in old) / len(old) >= 0.999
    new_ids = {second[k] for k in second if k not in first}
    assert new_ids and not new_ids & set(first.values())
    # without history the ids are still the same: they hash each entity's first record
    fresh = _cluster_of(resolve(tables, ResolveOptions(extra_fields=EXTRA, link_type="link_only"),
                                model=subset_resolution.model))
    assert sum(fresh[k] == first[k] for k in old) / len(old) >= 0.999


@pytest.mark.slow
def test_febrl4_pairwise_f1_at_the_default_threshold():
    tables = febrl4_subset(5000)
    result = resolve(without_truth(tables), ResolveOptions(extra_fields=EXTRA, link_type="link_only"))
    links = result.links()
    predicted = zip(zip(links["source_l"].to_pylist(), links["unique_id_l"].to_pylist()),
                    zip(links["source_r"].to_pylist(), links["unique_id_r"].to_pylist()))
    score = evaluate.pairwise(predicted, truth_of(tables), cross_source_only=True)
    assert score.true_positives + score.false_negatives == 5000
    assert score.f1 >= 0.999, score.as_dict()
    assert pc.count_distinct(result.clusters["cluster_id"]).as_py() <= 5010


def test_no_graded_level_weighs_less_than_nothing_alike(subset_resolution):
    import math

    from oda.link.entities.resolve import _GRADED_KINDS

    graded = {f.column for f in subset_resolution.fields if f.kind in _GRADED_KINDS}
    checked = 0
    for comparison in subset_resolution.model["comparisons"]:
        if comparison["output_column_name"] not in graded:
            continue
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        weights = [math.log2(lv["m_probability"] / lv["u_probability"]) if lv.get("m_probability")
                   and lv.get("u_probability") else None for lv in levels]
        assert weights[-1] is not None, comparison["output_column_name"]
        for label, weight in zip([lv.get("label_for_charts") for lv in levels], weights[:-1]):
            if weight is not None:
                checked += 1
                assert weight >= weights[-1] - 1e-9, (comparison["output_column_name"], label, weight, weights[-1])
    assert checked >= 5


# -- a household that moves together ---------------------------------------------------------------
_HOUSEHOLDS = pa.table({
    "unique_id": ["1", "2", "3", "4", "5", "6"],
    "first_name": ["Jan", "Ann", "Jan", "Ann", "Jan", "Bo"],
    "surname": ["Cook", "Lee", "Cook", "Lee", "Cook", "Wu"],
    "postcode": ["E1 6AN", "E1 6AN", "N1 1AA", "N1 1AA", "SE1 2BB", "SE1 2BB"],
    "uprn": ["1", "1", "2", "2", "3", "3"],
    "resident_from": ["2021-01-01", "2021-01-01", "2023-01-01", "2023-01-01", "2023-01-01", "2023-01-01"],
    "resident_to": ["2021-12-31", None, "2023-12-31", "2023-12-31", "2023-12-31", "2023-12-31"],
})


def test_a_person_whose_household_moved_with_them_is_told_from_a_namesake():
    import logging

    from splink import DuckDBAPI, Linker

    from oda.link.entities.fields import fields_for
    from oda.link.entities.prepare import prepare
    from oda.link.entities.settings import build_settings

    fields = fields_for(_HOUSEHOLDS.column_names, "person")
    records = prepare({"er": _HOUSEHOLDS}, fields)
    rows = records.to_pylist()
    # Ann Lee's liability has no end: it counts from its start, and so overlaps Jan Cook's 2021 only
    assert [r["uprn__co_residents"] for r in rows] == [["ann lee"], ["jan cook"], ["ann lee"], ["jan cook"],
                                                       ["bo wu"], ["jan cook"]]
    linker = Linker(DuckDBAPI().register(records, dataset_display_name="people"),
                    build_settings("person", fields, "dedupe_only"), log_level=logging.ERROR)
    place = next(c for c in linker._settings_obj.comparisons if c.output_column_name == "place")
    labels = [lv.label_for_charts for lv in place.comparison_levels]

    def level(a: int, b: int) -> str:
        gamma = linker.inference.score_pair(rows[a], rows[b]).as_record_list()[0]["gamma_place"]
        return labels[len(labels) - 1 - gamma]

    assert level(0, 2) == "different places, someone lived with them at both"  # Jan Cook moved with Ann Lee
    assert level(0, 4) == "All other comparisons"  # another Jan Cook, living with Bo Wu
    assert level(0, 1) == "same property (UPRN)"


def test_a_date_of_birth_disagreement_is_weighed_by_the_session_least_swamped_by_namesakes():
    import logging

    from splink import DuckDBAPI, Linker

    from oda.link.entities.fields import fields_for
    from oda.link.entities.prepare import prepare
    from oda.link.entities.resolve import _date_disagreement_from_the_cleanest_session
    from oda.link.entities.settings import build_settings

    people = pa.table({"unique_id": ["1", "2"], "first_name": ["Jan", "Jan"], "surname": ["Cook", "Cook"],
                       "dob": ["1980-01-02", "1981-05-06"], "postcode": ["E1 6AN", "N1 1AA"]})
    fields = fields_for(people.column_names, "person")
    linker = Linker(DuckDBAPI().register(prepare({"hb": people}, fields), dataset_display_name="people"),
                    build_settings("person", fields, "dedupe_only"), log_level=logging.ERROR)
    dob = next(c for c in linker._settings_obj.comparisons if c.output_column_name == "dob")
    unlike = [level for level in dob.comparison_levels if not level.is_null_level][-1]
    # what three EM sessions found at 100k dwellings: two had namesakes in their "match" class
    for m in (0.30, 1e-6, 0.49):
        unlike._add_trained_m_probability(m, "EM")
    unlike.m_probability = unlike._trained_m_median
    _date_disagreement_from_the_cleanest_session(linker, fields)
    assert unlike.m_probability == 1e-6
