"""/signatories/readable.csv: the directory for people, in the reader's language, beside the
machine CSV that programs read and that stays as it was."""

import csv
import io
from datetime import date

import pytest

from tests.reports.helpers import member
from tracker.companies.enums import CompanyType
from tracker.directory.open_data import views
from tracker.urls import public_url

READABLE = "/signatories/readable.csv"


@pytest.fixture
def members():
    made = [
        member(
            joined=date(2025, 3, 1),
            display_name="Lotus Tours",
            countries=("TH", "DE"),
            type=CompanyType.HOTEL,
        ),
        member(joined=date(2024, 11, 20), display_name="=cmd|' /C calc'!A0", countries=("ES",)),
    ]
    return [company for company, _owner in made]


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """The file name suffix of every CSV written (None for the machine one)."""
    written: list[str | None] = []
    write = views.write_csv

    def counted(out, filters, on, variant=views.MACHINE):
        written.append(variant.suffix)
        write(out, filters, on, variant)

    monkeypatch.setattr(views, "write_csv", counted)
    return written


def rows(answer) -> list[list[str]]:
    text = answer.get_data(as_text=True)
    assert text.startswith("\ufeff")  # so that Excel reads the accents right
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def in_language(client, language: str):
    return client.get(READABLE, headers={"Accept-Language": language})


def test_french_headers_labels_dates_and_country_names(client, members):
    answer = in_language(client, "fr")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == 'attachment; filename="signatories-fr.csv"'
    assert answer.headers["Content-Language"] == "fr"
    assert {"Cookie", "Accept-Language"} <= set(answer.vary)
    header, *lines = rows(answer)
    assert header == [
        "Nom",
        "Raison sociale",
        "Type d'entreprise",
        "Site web",
        "Numéro d'adhésion",
        "Membre depuis",
        "Situation",
        "Pays",
        "Profil",
    ]
    lotus = next(line for line in lines if line[0] == "Lotus Tours")
    assert lotus[2] == "Hôtel"
    assert lotus[5] == "1 mars 2025"
    assert lotus[7] == "Allemagne; Thaïlande"
    assert lotus[8].endswith(f"/signatories/{members[0].slug}")


def test_spanish_headers_and_labels(client, members):
    header, *lines = rows(in_language(client, "es"))
    assert header[:3] == ["Nombre", "Razón social", "Tipo de empresa"]
    assert header[-1] == "Perfil"
    lotus = next(line for line in lines if line[0] == "Lotus Tours")
    assert (lotus[2], lotus[5], lotus[7]) == ("Hotel", "1 de marzo de 2025", "Alemania; Tailandia")


def test_a_hostile_name_is_text_in_a_spreadsheet(client, members):
    _header, *lines = rows(in_language(client, "en"))
    assert "'=cmd|' /C calc'!A0" in [line[0] for line in lines]
    assert not any(line[0].startswith("=") for line in lines)


def test_each_language_is_a_file_kept_once_with_its_own_etag(client, members, builds):
    french = in_language(client, "fr")
    assert in_language(client, "fr").get_data() == french.get_data()
    spanish = in_language(client, "es")
    assert builds == ["fr", "es"]
    assert french.get_data() != spanish.get_data()
    assert french.headers["ETag"] != spanish.headers["ETag"]
    again = client.get(
        READABLE, headers={"Accept-Language": "fr", "If-None-Match": french.headers["ETag"]}
    )
    assert again.status_code == 304
    assert french.headers["Cache-Control"] == "public, max-age=300"


def test_the_machine_csv_is_unchanged(client, members, builds):
    in_language(client, "fr")
    machine = client.get("/signatories.csv", headers={"Accept-Language": "fr"})
    assert machine.headers["Content-Disposition"] == 'attachment; filename="signatories.csv"'
    assert "Accept-Language" not in machine.vary
    header, *lines = rows(machine)
    assert header == [
        "name",
        "legal_name",
        "type",
        "website",
        "membership_number",
        "member_since",
        "standing",
        "countries",
        "profile_url",
    ]
    lotus = next(line for line in lines if line[0] == "Lotus Tours")
    company = members[0]
    assert lotus[1:] == [
        company.public_legal_name or "",
        "hotel",
        company.website or "",
        company.membership_number,
        "2025-03-01",
        "good_standing",
        "DE TH",
        public_url("directory.profile", slug=company.slug),
    ]
    assert builds == ["fr", None]


def test_downloads_are_limited_per_client(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CSV_RATE_LIMIT", "2 per minute")
    here = {"REMOTE_ADDR": "203.0.113.21"}
    codes = [client.get(READABLE, environ_base=here).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_invalid_filters_are_refused(client):
    assert client.get(f"{READABLE}?country=ZZ").status_code == 400


def test_the_members_page_links_both_and_says_how_they_differ(client, members):
    page = client.get("/signatories", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'href="/signatories.csv"' in page
    assert 'href="/signatories/readable.csv"' in page
    assert "Le premier CSV est destiné aux programmes" in page
