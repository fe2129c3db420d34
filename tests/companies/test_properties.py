"""The CSV of a chain's properties: read leniently, checked row by row, never guessed."""

import contextlib
import csv

import pytest

from tracker.companies.properties import (
    as_csv,
    country_code_for,
    decoded,
    merged,
    parse_properties,
    sorted_operations,
    without,
)
from tracker.companies.properties import csv_lines as csv_lines_of
from tracker.companies.services import MAX_PROPERTIES, OperationInput


def rows(result):
    return [(row.country_code, row.property_name, row.city) for row in result.rows]


@pytest.mark.parametrize(
    "text",
    [
        "TH,Lotus Phuket,Phuket\nKH,Lotus Siem Reap,Siem Reap\n",
        "country;property name;city\nTHA;Lotus Phuket;Phuket\nKHM;Lotus Siem Reap;Siem Reap",
        "Country\tProperty\tCity\r\n"
        "Thailand\tLotus Phuket\tPhuket\r\nCambodge\tLotus Siem Reap\tSiem Reap",
        '\ufeff"Tailandia","Lotus Phuket","Phuket"\n\n'
        '"cambodia" , "Lotus Siem Reap" , "Siem Reap"\n',
    ],
    ids=["alpha-2", "alpha-3-semicolons-header", "tabs-english-french", "bom-quoted-spanish"],
)
def test_codes_names_delimiters_and_headers_all_read_the_same(text):
    result = parse_properties(text, needs_property=True)
    assert result.ok, [row.errors for row in result.rows]
    assert rows(result) == [
        ("TH", "Lotus Phuket", "Phuket"),
        ("KH", "Lotus Siem Reap", "Siem Reap"),
    ]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Côte d'Ivoire", "CI"),  # ISO's English name
        ("cote d'ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),  # CLDR's, with its typographic apostrophe
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Territoire britannique de l'océan Indien", "IO"),
        ("Túnez", "TN"),
        ("Argelia", "DZ"),
        ("Surinam", "SR"),
        ("Corée du Sud", "KR"),
        ("  fr ", "FR"),
        ("Allemagne", "DE"),
        ("Alemania", "DE"),
        ("Atlantis", None),
        ("", None),
        ("T", None),
    ],
)
def test_countries_match_exactly_apart_from_accents_and_case(name, code):
    assert country_code_for(name) == code


def test_each_bad_row_says_what_is_wrong_and_where():
    text = "\n".join(
        [
            "TH,Lotus Phuket,Phuket",
            "Atlantis,Lotus Deep,Sunken City",
            "TH,,Bangkok",
            "TH,Lotus Phuket,Phuket",
            "TH,Lotus\u202eevil,Chiang Mai",
            "TH,Lotus Krabi,Krabi,extra",
            "TH," + "x" * 201 + ",Krabi",
        ]
    )
    result = parse_properties(text, needs_property=True)
    assert not result.ok
    problems = {row.line: " ".join(row.errors) for row in result.rows if row.errors}
    assert set(problems) == {2, 3, 4, 5, 6, 7}
    assert "Unknown country “Atlantis”" in problems[2]
    assert "Hotels name each property and its city." in problems[3]
    assert "This row repeats row 1." in problems[4]
    assert "invisible formatting characters" in problems[5]
    assert "three columns" in problems[6]
    assert "Keep names to 200" in problems[7]
    assert result.error_count == 6


def test_rows_are_numbered_as_the_spreadsheet_shows_them():
    text = "country,property,city\n\nTH,A,X\nAtlantis,B,Y\n"
    result = parse_properties(text, needs_property=True)
    assert [(row.line, bool(row.errors)) for row in result.rows] == [(3, False), (4, True)]


def test_tour_operators_may_list_countries_alone():
    result = parse_properties("TH\nKH,,\n", needs_property=False)
    assert result.ok
    assert rows(result) == [("TH", "", ""), ("KH", "", "")]


@pytest.mark.parametrize("text", ["", "  \n\n", "country,property,city\n"])
def test_an_empty_file_is_refused_as_a_whole(text):
    result = parse_properties(text, needs_property=False)
    assert result.errors == ["There are no rows to import."]
    assert not result.ok


def test_more_rows_than_a_company_may_list_are_refused_as_a_whole():
    text = "\n".join(f"TH,Hotel {n},Bangkok" for n in range(MAX_PROPERTIES + 1))
    result = parse_properties(text, needs_property=True)
    assert result.rows == []
    assert result.errors == [
        f"The file has {MAX_PROPERTIES + 1} rows; a company lists at most 2000."
    ]
    assert parse_properties(text.rsplit("\n", 1)[0], needs_property=True).ok


def test_export_protects_spreadsheet_formulas_and_import_reads_them_back():
    operations = [
        OperationInput("TH", '=HYPERLINK("http://evil")', "Phuket"),
        OperationInput("KH", "+Plus Hotel", "-Siem Reap"),
        OperationInput("LA", "@home", "Vientiane"),
    ]
    text = as_csv(operations)
    assert "'=HYPERLINK" in text and "'+Plus" in text and "'-Siem" in text and "'@home" in text
    result = parse_properties(text, needs_property=True)
    assert result.ok
    assert rows(result) == [(op.country_code, op.property_name, op.city) for op in operations]


def test_uploads_are_read_as_utf8_or_windows_csv_and_binary_is_refused():
    assert decoded("\ufeffTH,Château,Paris".encode()) == "TH,Château,Paris"
    assert decoded("TH,Château,Paris".encode("cp1252")) == "TH,Château,Paris"
    assert decoded(b"\x00\x01\x02PK") is None
    assert decoded(b"\x81\x8d\x8f") is None  # bytes no Windows code page has


def test_appending_skips_rows_already_listed_and_replacing_takes_the_file_alone():
    current = [OperationInput("TH", "Lotus Phuket", "Phuket")]
    result = parse_properties("TH,Lotus Phuket,Phuket\nKH,Lotus Siem Reap,Siem Reap", True)
    appended = merged(current, result.rows, replace=False)
    assert [(op.country_code, op.property_name) for op in appended] == [
        ("TH", "Lotus Phuket"),
        ("KH", "Lotus Siem Reap"),
    ]
    replaced = merged(current, result.rows[1:], replace=True)
    assert [op.property_name for op in replaced] == ["Lotus Siem Reap"]


def test_removing_takes_one_row_by_its_values():
    a, b = OperationInput("TH", "A", "X"), OperationInput("TH", "B", "X")
    assert without([a, b], ("TH", "B", "X")) == [a]
    assert without([a, b], ("TH", "C", "X")) is None


def test_sorted_by_country_name_in_the_readers_language(app):
    operations = [
        OperationInput("ES", "a"),
        OperationInput("DE", "b"),
        OperationInput("EG", "a"),
        OperationInput("AT", "a"),
        OperationInput("DE", "a"),
    ]
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        ordered = sorted_operations(operations)
    # Allemagne, Autriche, Égypte, Espagne: not by code, and the accent sorts with its letter,
    # not after Z.
    assert [(op.country_code, op.property_name) for op in ordered] == [
        ("DE", "a"),
        ("DE", "b"),
        ("AT", "a"),
        ("EG", "a"),
        ("ES", "a"),
    ]


@pytest.mark.parametrize("line", ['a,"' * 133_334, "x" * 400_000, "a;b\n" * 100_000])
def test_the_dialect_is_guessed_from_a_short_sample(monkeypatch, line):
    """The sniffer is quadratic in its sample: a 400,000-character line must not reach it."""
    samples = []
    sniff = csv.Sniffer.sniff

    def recorded(self, sample, **kwargs):
        samples.append(sample)
        return sniff(self, sample, **kwargs)

    monkeypatch.setattr(csv.Sniffer, "sniff", recorded)
    with contextlib.suppress(csv.Error):  # a cell past the csv module's limit: callers say so
        csv_lines_of(line)
    assert [len(sample) <= 1024 and sample.count("\n") < 5 for sample in samples] == [True]


def test_a_short_sample_still_finds_the_separator_after_a_long_header():
    text = "country;property name;city" + ";" * 2000 + "\nTHA;Lotus Phuket;Phuket\n"
    assert csv_lines_of(text)[1] == (2, ["THA", "Lotus Phuket", "Phuket"])
