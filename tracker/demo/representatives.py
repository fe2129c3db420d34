"""Demo Local Code Representatives: three organisations with accounts and assigned members."""

from sqlalchemy import select

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth.models import (
    DEFAULT_PERMISSIONS,
    Representative,
    RepresentativePermission,
    Role,
    User,
)
from tracker.auth.services import find_user
from tracker.companies import queries
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, _give_demo_second_factor
from tracker.extensions import db
from tracker.representatives.services import RepresentativeDetails, create_representative

THAILAND = RepresentativeDetails(
    name="Child Safe Tourism Thailand",
    countries=("KH", "TH"),
    website="https://childsafe-tourism.example",
    email="code@childsafe-tourism.example",
    phone="+66 2 000 0000",
)
ORGANISATIONS = (
    THAILAND,
    RepresentativeDetails(
        name="Turismo Responsável Brasil",
        countries=("BR",),
        website="https://turismo-responsavel.example",
        email="contato@turismo-responsavel.example",
    ),
    RepresentativeDetails(
        name="Kenya Child Protection in Tourism Network",
        countries=("KE", "TZ"),
        website="https://kcptn.example",
        email="code@kcptn.example",
        phone="+254 20 000 0000",
    ),
)
# Accounts besides the demo representative (rep.thailand@..., in DEMO_ACCOUNTS).
MEMBERS_OF = {"Turismo Responsável Brasil": "rep.brazil@demo.thecode.example"}
ASSIGNED_PER_ORGANISATION = 3
NEIGHBOURS = ("LA", "VN", "MM")


def ensure_demo_representatives() -> None:
    """Create the organisations, their accounts, default permissions and assigned members, once."""
    if db.session.scalar(select(Representative.id).where(Representative.name == THAILAND.name)):
        return
    organisations = {
        details.name: create_representative(None, details) for details in ORGANISATIONS
    }
    _move_demo_representative(organisations[THAILAND.name])
    for name, email in MEMBERS_OF.items():
        _representative_account(organisations[name], email)
    for decision, allowed in DEFAULT_PERMISSIONS.items():
        db.session.merge(RepresentativePermission(decision=decision, allowed=allowed))
    for organisation in organisations.values():
        _assign_members(organisation, organisation.country_codes)
    # Supported wherever it is: a member only in neighbouring countries, outside its own.
    _assign_members(organisations[THAILAND.name], NEIGHBOURS, limit=1)
    _recommend_one(organisations[THAILAND.name])
    db.session.flush()


def _move_demo_representative(organisation: Representative) -> None:
    """The demo sign-in works for the Thailand organisation; drop the one made for it alone."""
    email = next(a.email for a in DEMO_ACCOUNTS if a.role is Role.REPRESENTATIVE)
    user = find_user(email)
    if user is None:
        return
    own = user.representative
    user.representative = organisation
    db.session.flush()
    if own is not None and own is not organisation and not own.users:
        db.session.delete(own)


def _representative_account(organisation: Representative, email: str) -> None:
    if find_user(email) is not None:
        return
    user = User(email=email, name=f"{organisation.name} team", role=Role.REPRESENTATIVE)
    user.set_password(DEMO_PASSWORD)
    user.representative = organisation
    user.email_confirmed_at = organisation.created_at
    db.session.add(user)
    _give_demo_second_factor(user)


def _assign_members(
    organisation: Representative, countries, limit: int = ASSIGNED_PER_ORGANISATION
) -> None:
    """Members in `countries` not yet assigned (the demo owner's chain in Thailand first)."""
    members = db.session.scalars(
        select(Company)
        .where(
            queries.operating_in(organisation.country_codes), Company.representative_id.is_(None)
        )
        .where(queries.in_stage(Stage.ACTIVE))
        .order_by(Company.id)
        .limit(limit)
    )
    for company in members:
        company.representative = organisation


def _recommend_one(organisation: Representative) -> None:
    """A recommendation on an application waiting in its countries, as staff see it."""
    waiting = db.session.scalar(
        select(Company)
        .where(queries.operating_in(organisation.country_codes), queries.in_stage(Stage.SUBMITTED))
        .order_by(Company.id)
        .limit(1)
    )
    if waiting is not None and organisation.users:
        audit.record(
            AuditAction.APPROVAL_RECOMMENDED,
            actor=organisation.users[0],
            company=waiting,
            comment="We met the team in Bangkok: their policy and training plan are ready.",
        )
