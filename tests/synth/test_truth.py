"""The truth agrees with the extracts: every record is accounted for and points at real things."""

from __future__ import annotations

import pyarrow.parquet as pq

from oda.synth.sources.catalog import SOURCES
from tests.synth.readers import read_source, read_truth


def test_every_record_has_its_truth(borough):
    root, summary = borough
    links = read_truth(root, "record_uprn")
    for spec in SOURCES:
        ids = read_source(root, spec.name)[spec.record_id_header].astype(str)
        truth = links[links.source == spec.name].record_id
        assert ids.is_unique, spec.name
        assert sorted(ids) == sorted(truth), spec.name
        assert summary.source_records[spec.name] == len(ids)


def test_links_point_at_real_properties_people_and_businesses(borough):
    root, _ = borough
    gaz = pq.read_table(root / "gazetteer.parquet", columns=["uprn"]).column("uprn").to_pylist()
    links = read_truth(root, "record_uprn")
    assert links.uprn.dropna().isin(gaz).all()
    assert links.uprn.notna().mean() > 0.9
    people = read_truth(root, "people")
    assert read_truth(root, "record_person").person_id.isin(people.person_id).all()
    businesses = read_truth(root, "businesses")
    assert read_truth(root, "record_business").business_id.isin(businesses.business_id).all()
    properties = read_truth(root, "properties")
    assert properties.uprn.isin(gaz).all() and properties.uprn.is_unique
    residences = read_truth(root, "residences")
    assert residences.person_id.isin(people.person_id).all() and residences.uprn.isin(properties.uprn).all()


def test_uprn_column_agrees_with_truth_where_present(borough):
    root, _ = borough
    links = read_truth(root, "record_uprn")
    ct = read_source(root, "council_tax")
    joined = ct.merge(links[links.source == "council_tax"], left_on="Account Ref", right_on="record_id")
    present = joined[joined.UPRN != ""]
    assert 0.8 < len(present) / len(joined) < 0.97  # most but not all accounts carry a UPRN
    assert (present.UPRN.astype(int) == present.uprn).all()


def test_hmo_prevalence_and_licensing_match_what_councils_report(borough):
    root, summary = borough
    props = read_truth(root, "properties")
    assert 0.03 <= props.is_hmo.mean() <= 0.06
    licensed = props[props.is_hmo].hmo_licensed.mean()
    assert 0.10 <= licensed <= 0.20
    assert not props[~props.is_hmo].hmo_licensed.any()
    assert summary.hmo_prevalence == round(props.is_hmo.mean(), 4)
    # Confounders exist in the truth.
    for flag in ("is_student_let", "is_large_family", "is_temporary_accommodation", "has_lodgers"):
        assert 0.01 < props[flag].mean() < 0.06, flag
    assert set(props.tenure) == {"owner_occupied", "private_rented", "social_rented", "vacant"}


def test_licence_register_lists_licensed_hmos(borough):
    root, _ = borough
    links = read_truth(root, "record_uprn")
    licences = read_source(root, "hmo_licences").merge(links[links.source == "hmo_licences"],
                                                       left_on="Licence Number", right_on="record_id")
    props = read_truth(root, "properties").set_index("uprn")
    granted = licences[licences.Status == "Granted"]
    assert props.loc[granted.uprn, "hmo_licensed"].all()
    assert set(props[props.hmo_licensed].index) == set(granted.uprn)


def test_people_have_diverse_names_and_move(borough):
    root, _ = borough
    people = read_truth(root, "people")
    assert people.origin.nunique() >= 10
    assert people.surname.nunique() > 500
    residences = read_truth(root, "residences")
    homes = residences.groupby("person_id").uprn.nunique()
    assert (homes > 1).mean() > 0.02  # some people move within the borough
    hmo = read_truth(root, "properties").query("is_hmo").uprn
    tenants = residences[residences.uprn.isin(hmo) & (residences.household_kind == "hmo_tenant")]
    surnames = tenants.merge(people, on="person_id").groupby("uprn").surname.nunique()
    assert surnames.median() >= 3  # HMO tenants are unrelated


def test_some_directors_are_residents(borough):
    root, _ = borough
    directors = read_truth(root, "directors").merge(read_truth(root, "people"), on="person_id")
    assert 0.1 < directors.resident.mean() < 0.9


def test_wards_and_lsoas_have_census_like_populations(borough):
    root, _ = borough
    props = read_truth(root, "properties")
    gaz = pq.read_table(root / "gazetteer.parquet", columns=["uprn", "lsoa"]).to_pandas()
    residents = props.merge(gaz, on="uprn")
    assert 5_000 <= residents.groupby("ward").occupants.sum().min()
    assert residents.groupby("ward").occupants.sum().max() <= 15_000
    assert 1_000 <= residents.groupby("lsoa").occupants.sum().median() <= 2_000
    assert 1.8 < props.occupants.mean() < 2.8


def test_hmo_tenants_turn_over_fast(borough):
    root, _ = borough
    stays = read_truth(root, "residences").dropna(subset=["start_date", "end_date"])
    days = (stays.end_date - stays.start_date).dt.days if hasattr(stays.end_date, "dt") else \
        stays.apply(lambda r: (r.end_date - r.start_date).days, axis=1)
    by_kind = days.groupby(stays.household_kind).median()
    assert by_kind["hmo_tenant"] < 365 and by_kind["hmo_tenant"] < 0.7 * by_kind["family"]
