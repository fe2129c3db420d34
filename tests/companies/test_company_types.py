"""The types of business The Code's members are: airports, cruise lines, online platforms,
volunteering organisations and corporate travel buyers among them, wherever types are listed."""

import pytest

from tests.reports.helpers import member
from tracker.companies.enums import CompanyType

NEW_TYPES = {
    "airport": ("Airport", "Aéroport", "Aeropuerto"),
    "cruise_line": ("Cruise line", "Compagnie de croisière", "Naviera de cruceros"),
    "online_platform": (
        "Online travel or ICT platform",
        "Plateforme de voyage en ligne ou TIC",
        "Plataforma de viajes en línea o TIC",
    ),
    "volunteering_organisation": (
        "Volunteering organisation",
        "Organisation de volontariat",
        "Organización de voluntariado",
    ),
    "corporate_travel_buyer": (
        "Corporate travel buyer",
        "Acheteur de voyages d'affaires",
        "Comprador de viajes corporativos",
    ),
}


def test_the_new_types_are_listed_before_other():
    values = [kind.value for kind in CompanyType]
    assert set(NEW_TYPES) <= set(values)
    assert values[-1] == "other"
    assert not any(CompanyType(value).has_properties for value in NEW_TYPES)


@pytest.mark.parametrize("value", sorted(NEW_TYPES))
def test_each_new_type_is_offered_filtered_and_published(client, value):
    english, french, spanish = NEW_TYPES[value]
    company, _owner = member(type=CompanyType(value), display_name="Typed Member")
    apply_choices = client.get("/signatories").get_data(as_text=True)
    assert f'<option value="{value}">{english}</option>' in apply_choices
    listed = client.get(f"/signatories?type={value}").get_data(as_text=True)
    assert "Typed Member" in listed
    api = client.get(f"/api/v1/signatories?type={value}").get_json()
    assert [item["type"] for item in api["data"]] == [value]
    document = client.get("/api/v1/openapi.json").get_data(as_text=True)
    assert f'"{value}"' in document
    csv = client.get("/signatories.csv").get_data(as_text=True)
    assert f",{value}," in csv
    headers = {"Accept-Language": "fr"}
    assert french in client.get(f"/signatories/{company.slug}", headers=headers).get_data(
        as_text=True
    ).replace("&#39;", "'")
    headers = {"Accept-Language": "es"}
    assert spanish in client.get(f"/signatories/{company.slug}", headers=headers).get_data(
        as_text=True
    )
