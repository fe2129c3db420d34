"""factory_boy factories for the models; they commit, like a finished request would."""

import secrets
from datetime import UTC, datetime, timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from tracker.auth.models import Representative, RepresentativeCountry, Role, User
from tracker.billing.models import DEFAULT_FEES, Invoice, InvoiceKind, InvoiceState, PaymentMethod
from tracker.billing.services import next_number
from tracker.companies.enums import ApplicationStatus, CompanyType, RevenueBand, Stage, Standing
from tracker.companies.models import Company, Membership
from tracker.companies.operations import Operation
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
    status = factory.LazyAttribute(lambda o: _application_status(o.stage))
    membership = factory.LazyAttribute(lambda o: _membership(o.stage, o.membership_number))
    operations = factory.LazyAttribute(
        lambda o: [Operation(country_code=code) for code in o.countries]
    )

    class Params:
        countries = ("TH",)
        stage = Stage.SUBMITTED  # a membership stage makes a signed company with a membership
        membership_number = factory.Sequence(lambda n: f"TC-9{n:05d}")

    @factory.post_generation
    def paid(obj, create, extracted, **kwargs):
        """Approved (and signed) companies get a joining invoice, paid unless `paid=False`
        (then it awaits payment); `paid__none=True` gives them none at all."""
        if not create or obj.status is not ApplicationStatus.APPROVED or kwargs.get("none"):
            return
        joining_invoice(obj, paid=extracted is not False)


STANDINGS = {standing.value for standing in Standing}


def joining_invoice(company: Company, paid: bool = True, **values) -> Invoice:
    """A joining invoice of this year at the company's default fee, paid by bank transfer."""
    now = datetime.now(UTC)
    fee = DEFAULT_FEES[company.revenue_band]
    invoice = Invoice(
        number=next_number(now.year),
        company=company,
        year=now.year,
        kind=InvoiceKind.JOINING,
        band=company.revenue_band,
        fee=fee,
        amount=fee,
        currency="EUR",
        issued_at=now,
        due_on=now.date() + timedelta(days=30),
        state=InvoiceState.PAID if paid else InvoiceState.ISSUED,
        paid_on=now.date() if paid else None,
        payment_method=PaymentMethod.BANK_TRANSFER if paid else None,
        payment_reference="Factory transfer" if paid else None,
    )
    for name, value in values.items():
        setattr(invoice, name, value)
    db.session.add(invoice)
    db.session.commit()
    return invoice


def _application_status(stage: Stage) -> ApplicationStatus:
    if stage.value in STANDINGS:
        return ApplicationStatus.APPROVED
    return ApplicationStatus(stage.value)


def _membership(stage: Stage, number: str) -> Membership | None:
    if stage.value not in STANDINGS:
        return None
    now = datetime.now(UTC)
    return Membership(
        number=number, joined_at=now, standing=Standing(stage.value), standing_since=now
    )


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


def representative(name: str, countries: tuple[str, ...], **kwargs) -> Representative:
    """A Local Code Representative organisation covering `countries`."""
    organisation = Representative(name=name, **kwargs)
    organisation.countries = [RepresentativeCountry(country_code=c) for c in countries]
    db.session.add(organisation)
    db.session.flush()
    return organisation


def staff(role: Role, countries: tuple[str, ...] = (), **kwargs) -> User:
    """A staff account; a representative with `countries` gets an organisation covering them."""
    if role is Role.REPRESENTATIVE and countries and "representative" not in kwargs:
        name = f"Representative {' '.join(countries)} {secrets.token_hex(3)}"
        kwargs["representative"] = representative(name, countries)
    return UserFactory(role=role, **kwargs)
