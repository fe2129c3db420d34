"""The properties page: paged and filtered, rows added and removed, CSV imported and exported."""

import io
import re

import pytest
from sqlalchemy import func, select

from tests.factories import CompanyFactory, owner_of
from tracker.audit import AuditEntry
from tracker.companies.change_requests import open_request
from tracker.companies.enums import CompanyType, Stage
from tracker.companies.operations import Operation
from tracker.extensions import db


def hotel_chain(count: int, stage=Stage.SUBMITTED, countries=("TH",)):
    company = CompanyFactory(display_name="Lotus Hotels", type=CompanyType.HOTEL_CHAIN, stage=stage)
    company.operations = [
        Operation(
            country_code=countries[n % len(countries)], property_name=f"Lotus {n:04d}", city="Town"
        )
        for n in range(count)
    ]
    db.session.commit()
    return company


@pytest.fixture()
def chain(client, auth):
    company = hotel_chain(120, countries=("TH", "KH"))
    auth.login(owner_of(company, email="ana@lotus.example").email)
    return company


def names_on(page: str) -> list[str]:
    """The property names in the list's rows, in order."""
    return re.findall(r'<tr id="row-\d+"[^>]*>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]*)</td>', page)


def operation_count(company) -> int:
    query = select(func.count()).select_from(Operation).filter_by(company_id=company.id)
    return db.session.scalar(query)


def test_the_list_is_paged_and_filtered_by_country(client, chain):
    first = client.get("/company/properties").get_data(as_text=True)
    assert "120 properties and countries" in first
    assert len(names_on(first)) == 50
    assert "Page 1 of 3" in first
    # Cambodia before Thailand: by country name.
    assert names_on(first)[0] == "Lotus 0001"
    third = client.get("/company/properties?page=3").get_data(as_text=True)
    assert len(names_on(third)) == 20
    thai = client.get("/company/properties?country=TH").get_data(as_text=True)
    assert "Properties in Thailand" in thai and "Page 1 of 2" in thai
    assert client.get("/company/properties?page=99&country=ZZ").status_code == 200


def test_adding_a_property_opens_its_page_at_its_row(client, chain):
    response = client.submit(
        "/company/properties",
        {"country_code": "TH", "property_name": "Lotus Zeta", "city": "Phuket"},
    )
    assert response.status_code == 302
    # Cambodia's 60, then Thailand's 60 and the new one last: index 120, page 3.
    assert response.location == "/company/properties?page=3&added=120#row-120"
    page = client.get(response.location).get_data(as_text=True)
    assert 'id="row-120" class="row-added" tabindex="-1"' in page
    assert "The property is added." in page
    assert operation_count(chain) == 121


def test_a_hotel_row_needs_name_and_city_and_keeps_what_was_typed(client, chain):
    response = client.submit("/company/properties", {"country_code": "TH", "city": "Phuket Town"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Hotels name each property and its city." in page
    assert 'value="Phuket Town"' in page
    assert operation_count(chain) == 120


def test_a_row_listed_already_is_not_added_twice(client, chain):
    data = {"country_code": "TH", "property_name": "Lotus 0000", "city": "Town"}
    response = client.submit("/company/properties", data)
    assert response.status_code == 400
    assert "This property is on the list already." in response.get_data(as_text=True)


def test_removing_a_row_by_its_values_and_twice_is_harmless(client, chain):
    data = {"country_code": "TH", "property_name": "Lotus 0000", "city": "Town"}
    response = client.submit("/company/properties/remove?page=2", data)
    assert response.location == "/company/properties?page=2"
    assert operation_count(chain) == 119
    again = client.submit("/company/properties/remove", data, follow_redirects=True)
    assert "That property was removed already." in again.get_data(as_text=True)
    assert operation_count(chain) == 119
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "company.updated"


def test_the_last_row_cannot_go(client, auth):
    company = hotel_chain(1)
    auth.login(owner_of(company).email)
    data = {"country_code": "TH", "property_name": "Lotus 0000", "city": "Town"}
    page = client.submit("/company/properties/remove", data, follow_redirects=True)
    assert "Add at least one country where you operate." in page.get_data(as_text=True)
    assert operation_count(company) == 1


CSV = "country,property name,city\nThailand,Lotus Krabi,Krabi\nKHM,Lotus Kep,Kep\n"


def test_import_previews_then_saves_on_confirmation(client, chain):
    preview = client.submit("/company/properties/import", {"rows": CSV, "mode": "append"})
    page = preview.get_data(as_text=True)
    assert "2 rows are ready to import." in page
    assert "Import 2 rows" in page
    assert operation_count(chain) == 120  # nothing saved by the preview

    saved = client.submit(
        "/company/properties/import", {"rows": CSV, "mode": "append", "confirm": "1"}
    )
    assert saved.location == "/company/properties"
    assert "2 properties added." in client.get(saved.location).get_data(as_text=True)
    assert operation_count(chain) == 122


def test_an_uploaded_file_is_read_and_carried_to_the_confirmation(client, chain):
    upload = (io.BytesIO(CSV.encode("cp1252")), "properties.csv")
    preview = client.submit(
        "/company/properties/import",
        {"file": upload, "mode": "replace"},
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert "2 rows are ready to import." in page
    assert "Lotus Krabi" in page and "Thailand,Lotus Krabi,Krabi" in page  # in the textarea
    client.submit("/company/properties/import", {"rows": CSV, "mode": "replace", "confirm": "1"})
    assert operation_count(chain) == 2


def test_a_file_with_a_bad_row_saves_nothing_even_when_confirmed(client, chain):
    bad = CSV + "Atlantis,Lotus Deep,Sunken\n"
    response = client.submit(
        "/company/properties/import", {"rows": bad, "mode": "append", "confirm": "1"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unknown country “Atlantis”" in page
    assert "Nothing was saved." in page
    assert operation_count(chain) == 120


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "append"}, "Paste the rows or choose a file."),
        ({"rows": CSV, "mode": "sideways"}, "Not a valid choice"),
        (
            {"file": (io.BytesIO(b"\x00\x01PK\x03\x04"), "x.csv"), "mode": "append"},
            "This is not a CSV file",
        ),
        (
            {"file": (io.BytesIO(b"TH,a,b\n" * 70_000), "big.csv"), "mode": "append"},
            "more than 2,000 rows can hold",
        ),
    ],
    ids=["empty", "bad-mode", "binary", "too-large"],
)
def test_bad_imports_are_refused_with_a_message(client, chain, data, message):
    response = client.submit("/company/properties/import", data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert operation_count(chain) == 120


def test_export_lists_every_row_for_the_spreadsheet(client, chain):
    response = client.get("/company/properties.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="properties.csv"'
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "country,property name,city"
    assert len(lines) == 121 and "KH,Lotus 0001,Town" in lines


def test_new_countries_of_an_approved_company_wait_for_review(client, auth):
    company = hotel_chain(60, stage=Stage.APPROVED)
    auth.login(owner_of(company).email)
    client.submit("/company/properties/import", {"rows": CSV, "mode": "append", "confirm": "1"})
    assert operation_count(company) == 60  # Cambodia is new: the approved list stands
    request = open_request(company)
    assert request is not None and len(request.proposed["operations"]) == 62
    page = client.get("/company/properties").get_data(as_text=True)
    assert "62 properties and countries" in page  # the list asked for is the one worked on
    assert "ECPAT reviews its new countries" in page

    # While new countries wait, a further row joins the list under review.
    client.submit(
        "/company/properties", {"country_code": "TH", "property_name": "Lotus Bay", "city": "Krabi"}
    )
    assert operation_count(company) == 60
    db.session.refresh(request)
    assert len(request.proposed["operations"]) == 63


def profile_form(company, **changes) -> dict:
    values = {
        "legal_name": company.legal_name,
        "display_name": company.display_name,
        "type": company.type.value,
        "hq_country": company.hq_country,
        "website": company.website,
        "revenue_band": company.revenue_band.value,
        "contact_name": company.contact_name,
        "contact_email": company.contact_email,
    }
    return values | changes


def test_the_edit_form_of_a_long_list_leaves_the_rows_to_the_properties_page(client, chain):
    page = client.get("/company/edit").get_data(as_text=True)
    assert "Operation 1" not in page
    assert "Your company lists 120 properties and countries." in page
    response = client.submit("/company/edit", profile_form(chain, contact_name="Bea Lotus"))
    assert response.status_code == 302
    db.session.refresh(chain)
    assert chain.contact_name == "Bea Lotus"
    assert operation_count(chain) == 120


def test_the_dashboard_sums_a_long_list_up_per_country(client, chain):
    page = client.get("/company/").get_data(as_text=True)
    assert "120 properties and countries in all." in page
    assert "Lotus 0001" not in page  # no row-by-row table of 120 properties
    assert re.search(r"<td>Cambodia</td><td>60</td><td[^>]*>Town</td>", page)


def test_adding_a_row_to_the_form_puts_focus_in_it(client, auth):
    company = hotel_chain(2)
    auth.login(owner_of(company).email)
    data = profile_form(company, add_operation="1")
    for n, operation in enumerate(company.operations):
        data |= {
            f"operations-{n}-country_code": operation.country_code,
            f"operations-{n}-property_name": operation.property_name,
            f"operations-{n}-city": operation.city,
        }
    page = client.submit("/company/edit", data).get_data(as_text=True)
    assert re.findall(r"<select [^>]*autofocus[^>]*>", page) == [
        re.search(r'<select [^>]*id="operations-2-country_code"[^>]*>', page).group(0)
    ]
