"""Names cleaned and split the same way on both engines."""

from __future__ import annotations

from oda.standardise import names
from tests.engine_fixtures import evaluate

CLEAN = {
    "Siobhán": "SIOBHAN",
    "O'Brien": "OBRIEN",
    "O’Brien": "OBRIEN",
    "smith-jones": "SMITH-JONES",
    "Smith – Jones": "SMITH-JONES",
    "  anne  marie ": "ANNE MARIE",
    "Zoë Łukasz": "ZOE LUKASZ",
    "Straße": "STRASSE",
    "Ærøskøbing": "AEROSKOBING",
    "Jean-Luc, Jr.": "JEAN-LUC JR",
    "Siobha\u0301n": "SIOBHAN",  # the accent as a combining mark
    "Дмитрий": "ДМИТРИЙ",  # other scripts are kept
    "-": None,
    "...": None,
    None: None,
}


def test_clean_name(engine):
    results = evaluate(engine, list(CLEAN), cleaned=names.clean_name(engine.dialect, "x"))
    assert {r["x"]: r["cleaned"] for r in results} == CLEAN


def test_titles_come_off_the_front(engine):
    d = engine.dialect
    cleaned = names.clean_name(d, "x")
    results = evaluate(engine, ["Mr John Smith", "REV. DR. Peter Jones", "Mrs. Jane Doe", "Mr", "Missy Elliott"],
                       title=names.leading_title(d, cleaned), rest=names.strip_title(d, cleaned))
    assert [(r["title"], r["rest"]) for r in results] == [
        ("MR", "JOHN SMITH"), ("REV", "PETER JONES"), ("MRS", "JANE DOE"), (None, "MR"), (None, "MISSY ELLIOTT"),
    ]


def test_surname_takes_its_particles(engine):
    d = engine.dialect
    results = evaluate(engine, ["PAUL VAN DER BERG", "MARIA DE LOURDES SILVA", "DE LA CRUZ", "SMITH", "JOHN O BRIEN"],
                       surname=names.surname_of(d, "x"),
                       before=names.before_surname(d, "x", names.surname_of(d, "x")),
                       joined=names.join_surname_prefix(d, names.surname_of(d, "x")))
    assert [(r["surname"], r["before"], r["joined"]) for r in results] == [
        ("VAN DER BERG", "PAUL", "VAN DER BERG"),
        ("SILVA", "MARIA DE LOURDES", "SILVA"),
        ("DE LA CRUZ", None, "DE LA CRUZ"),
        ("SMITH", None, "SMITH"),
        ("O BRIEN", "JOHN", "OBRIEN"),
    ]
