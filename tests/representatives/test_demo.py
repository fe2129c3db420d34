"""The demo data has representative organisations with accounts and assigned members."""

from sqlalchemy import select

from tracker.auth.models import Representative
from tracker.auth.services import find_user
from tracker.companies.models import Company
from tracker.extensions import db


def test_demo_data_has_representatives_with_accounts_and_members(runner):
    result = runner.invoke(args=["demo-data", "--companies", "0"])
    assert result.exit_code == 0, result.output
    names = sorted(db.session.scalars(select(Representative.name)))
    assert names == [
        "Child Safe Tourism Thailand",
        "Kenya Child Protection in Tourism Network",
        "Turismo Responsável Brasil",
    ]
    rep = find_user("rep.thailand@demo.thecode.example")
    assert (rep.representative.name, rep.country_codes) == (
        "Child Safe Tourism Thailand",
        ["KH", "TH"],
    )
    assert find_user("rep.brazil@demo.thecode.example").representative.name == names[2]
    owner_company = db.session.scalar(
        select(Company).where(Company.display_name == "Andaman Sea Hotels")
    )
    assert owner_company.representative is rep.representative
    again = runner.invoke(args=["demo-data", "--companies", "0"])
    assert again.exit_code == 0
    assert len(db.session.scalars(select(Representative)).all()) == 3
