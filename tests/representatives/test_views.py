"""The representatives' staff pages, the company page's panel, and the public contact."""

from sqlalchemy import select

from tests.factories import CompanyFactory, representative
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.decisions import permission_table
from tracker.auth.models import Decision, Representative
from tracker.companies.enums import Stage
from tracker.extensions import db


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def thailand() -> Representative:
    return representative(
        "Child Safe Tourism Thailand",
        ("TH", "KH"),
        website="https://childsafe.example",
        email="code@childsafe.example",
        phone="+66 2 000 0000",
    )


def test_an_admin_adds_an_organisation(client, auth, admin):
    auth.login(admin.email)
    assert b"What representatives may decide" in client.get("/review/representatives").data
    response = client.submit(
        "/review/representatives/new",
        {"name": "Child Safe Laos", "countries": ["LA"], "website": "https://csl.example"},
    )
    assert (response.status_code, response.location) == (302, "/review/representatives")
    organisation = db.session.scalars(select(Representative)).one()
    assert (organisation.name, organisation.country_codes) == ("Child Safe Laos", ["LA"])
    assert actions() == [AuditAction.REPRESENTATIVE_CREATED]


def test_a_bad_organisation_keeps_what_was_typed(client, auth, admin):
    auth.login(admin.email)
    response = client.submit(
        "/review/representatives/new", {"name": "Child Safe Laos", "website": "not a url"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Child Safe Laos"' in page
    assert 'id="countries-error"' in page and 'id="website-error"' in page
    assert db.session.scalars(select(Representative)).all() == []


def test_an_admin_edits_an_organisation(client, auth, admin):
    organisation = thailand()
    db.session.commit()
    auth.login(admin.email)
    path = f"/review/representatives/{organisation.id}"
    assert b'value="Child Safe Tourism Thailand"' in client.get(path).data
    response = client.submit(path, {"name": "CST Thailand", "countries": ["TH"], "email": ""})
    assert response.status_code == 302
    db.session.refresh(organisation)
    assert (organisation.name, organisation.country_codes, organisation.email) == (
        "CST Thailand",
        ["TH"],
        None,
    )
    assert client.get("/review/representatives/99999999999").status_code == 404


def test_the_permission_table_is_saved_from_its_page(client, auth, admin):
    auth.login(admin.email)
    response = client.submit(
        "/review/representatives/permissions",
        {"return_application": "y", "recommend_approval": "y", "return_plan": "y"},
    )
    assert response.status_code == 302
    assert permission_table()[Decision.RETURN_REPORT] is False
    assert actions() == [AuditAction.REPRESENTATIVE_PERMISSION_CHANGED]
    page = client.get("/review/representatives").get_data(as_text=True)
    assert 'name="return_report" type="checkbox" value="y">' in page
    assert "Expel a member" in page  # listed as ECPAT-only, with no box to tick
    assert 'name="expel"' not in page


def test_staff_assign_a_member_from_its_page(client, auth, reviewer, company_a):
    organisation = thailand()
    db.session.commit()
    auth.login(reviewer.email)
    path = f"/review/companies/{company_a.id}"
    assert b"Save the representative" in client.get(path).data
    response = client.submit(path + "/representative", {"representative": str(organisation.id)})
    assert response.location == path
    db.session.refresh(company_a)
    assert company_a.representative_id == organisation.id
    assert b"Supported by Child Safe Tourism Thailand." in client.get(path).data


def test_a_representative_sees_what_it_may_do_on_a_company_page(client, auth, rep_th, company_a):
    auth.login(rep_th.email)
    page = client.get(f"/review/companies/{company_a.id}").get_data(as_text=True)
    assert "Return for changes" in page
    assert ">Approve<" not in page and ">Reject<" not in page
    assert "Recommend approval" in page
    assert "Save the representative" not in page
    response = client.submit(f"/review/companies/{company_a.id}/recommend", {"comment": "Ready."})
    assert response.location == f"/review/companies/{company_a.id}"
    assert actions() == [AuditAction.APPROVAL_RECOMMENDED]


def test_ecpat_staff_read_the_recommendation_until_the_application_is_decided(
    client, auth, rep_th, reviewer, company_a
):
    auth.login(rep_th.email)
    client.submit(f"/review/companies/{company_a.id}/recommend", {"comment": "Visited: ready."})
    auth.logout()
    auth.login(reviewer.email)
    page = client.get(f"/review/companies/{company_a.id}").get_data(as_text=True)
    assert "Recommended for approval" in page and "Visited: ready." in page
    assert rep_th.representative.name in page
    response = client.submit(
        f"/review/companies/{company_a.id}/return",
        {"comment": "Add your properties.", "version": str(company_a.version)},
    )
    assert response.status_code == 302
    page = client.get(f"/review/companies/{company_a.id}").get_data(as_text=True)
    assert "Recommended for approval" not in page  # advice on a version no longer pending


def test_the_country_page_shows_its_representatives(client):
    thailand()
    representative("Mekong Network", ("TH",))
    representative("Child Safe France", ("FR",))
    db.session.commit()
    page = client.get("/countries/TH").get_data(as_text=True)
    assert "Local Code Representatives in Thailand" in page
    assert "Child Safe Tourism Thailand" in page and "Mekong Network" in page
    assert "Child Safe France" not in page
    assert 'href="mailto:code@childsafe.example"' in page and 'href="tel:+6620000000"' in page
    assert "Local Code Representative" not in client.get("/countries/BT").get_data(as_text=True)


def test_the_country_page_speaks_french(client):
    thailand()
    db.session.commit()
    page = client.get("/countries/KH", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Représentant local de The Code : Cambodge" in page


def test_a_profile_shows_the_members_representative(client):
    organisation = thailand()
    member = CompanyFactory(display_name="Lima Trips", countries=("PE",), stage=Stage.ACTIVE)
    db.session.commit()
    path = f"/signatories/{member.slug}"
    assert "Child Safe Tourism Thailand" not in client.get(path).get_data(as_text=True)
    member.representative = organisation
    db.session.commit()  # the kept public page changes with it
    page = client.get(path).get_data(as_text=True)
    assert "Local Code Representative" in page and "https://childsafe.example" in page


def test_a_changed_contact_shows_on_the_kept_country_page(client):
    organisation = thailand()
    db.session.commit()
    assert "code@childsafe.example" in client.get("/countries/TH").get_data(as_text=True)
    organisation.email = "new@childsafe.example"
    db.session.commit()
    assert "new@childsafe.example" in client.get("/countries/TH").get_data(as_text=True)


def test_organisations_with_the_same_countries_keep_their_own_queue_counts(app, client, auth):
    from tests.factories import staff
    from tests.fixtures.two_factor import two_factor_columns
    from tracker.auth.models import Role

    first, second = representative("First", ("TH",)), representative("Second", ("TH",))
    CompanyFactory(display_name="Bangkok Tours", countries=("TH",))
    CompanyFactory(display_name="Lima Trips", countries=("PE",), representative=first)
    one = staff(
        Role.REPRESENTATIVE, representative=first, email="one@example.com", **two_factor_columns()
    )
    two = staff(
        Role.REPRESENTATIVE, representative=second, email="two@example.com", **two_factor_columns()
    )
    db.session.commit()
    submitted = '">Application under review</a>: {}</li>'
    auth.login(one.email)
    page = client.get("/review/?status=").get_data(as_text=True)
    assert "Lima Trips" in page and submitted.format(2) in page
    auth.logout()
    auth.login(two.email)  # same countries, other members: the kept counts are not shared
    page = client.get("/review/?status=").get_data(as_text=True)
    assert "Bangkok Tours" in page and "Lima Trips" not in page
    assert submitted.format(1) in page


def test_a_representative_returns_or_recommends_a_report_but_does_not_accept_it(
    client, auth, rep_th
):
    from tests.reports.helpers import member, ready_report
    from tracker.reports import services as reports

    company, owner = member(countries=("TH",))
    report = ready_report(company, owner)
    reports.submit_report(report, owner, report.version, reports.today())
    db.session.commit()
    auth.login(rep_th.email)
    page = client.get(f"/review/reports/{report.id}").get_data(as_text=True)
    assert "Return the report" in page and "Recommend approval" in page
    assert "Accept the report" not in page
    response = client.submit(f"/review/reports/{report.id}/recommend", {"comment": "Complete."})
    assert response.location == f"/review/reports/{report.id}"
    assert actions()[-1] == AuditAction.REPORT_APPROVAL_RECOMMENDED
