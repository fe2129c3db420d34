"""factory_boy factories for the models; they commit, like a finished request would."""

from datetime import UTC, datetime

import factory
from factory.alchemy import SQLAlchemyModelFactory

from tracker.auth.models import Role, StaffCountry, User
from tracker.companies.models import Company, CompanyStatus, CompanyType, Operation, RevenueBand
from tracker.extensions import db

PASSWORD = "correct horse battery"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class CompanyFactory(BaseFactory):
    class Meta:
        model = Company

    legal_name = factory.Sequence(lambda n: f"Company {n} Ltd")
    display_name = factory.Sequence(lambda n: f"Company {n}")
    type = CompanyType.TOUR_OPERATOR
    hq_country = "TH"
    website = "https://example.com"
    revenue_band = RevenueBand.UP_TO_500K
    contact_name = "Contact Person"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.com")
    status = CompanyStatus.SUBMITTED
    operations = factory.LazyAttribute(
        lambda o: [Operation(country_code=code) for code in o.countries]
    )

    class Params:
        countries = ("TH",)


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"User {n}")
    role = Role.COMPANY
    email_confirmed_at = factory.LazyFunction(lambda: datetime.now(UTC))
    password_hash = factory.LazyFunction(lambda: _password_hash())


_HASH: list[str] = []


def _password_hash() -> str:
    # Hash once per test session: scrypt is slow on purpose.
    if not _HASH:
        from werkzeug.security import generate_password_hash

        _HASH.append(generate_password_hash(PASSWORD))
    return _HASH[0]


def owner_of(company: Company, **kwargs) -> User:
    return UserFactory(company=company, is_owner=True, **kwargs)


def staff(role: Role, countries: tuple[str, ...] = (), **kwargs) -> User:
    return UserFactory(
        role=role, staff_countries=[StaffCountry(country_code=c) for c in countries], **kwargs
    )
