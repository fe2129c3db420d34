"""Shared read queries on companies, as selects that views page and stream.

The one place that says which companies a staff member may see: representatives see the members
assigned to their organisation wherever they are, and other companies when one of their
operations lies in one of their organisation's countries. The queue, the detail page and the
review services all go through `visible_to`, so the rule cannot drift apart.
"""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, false, select, true

from tracker.auth.models import RepresentativeCountry, Role, User
from tracker.companies.applications import ChangeRequest, ChangeRequestStatus
from tracker.companies.criteria import current_version
from tracker.companies.enums import (
    ON_RECORD_STAGES,
    REPORTING_STAGES,
    Stage,
    Standing,
    listed_stages,
)
from tracker.companies.models import Company, Membership
from tracker.companies.operations import Operation
from tracker.companies.signatures import Signature


def operating_in(countries: Iterable[str] | Select) -> ColumnElement[bool]:
    """Companies with an operation in one of `countries` (codes, or a select of codes)."""
    # An IN on the key rather than EXISTS: the database can start from the few operations in
    # those countries instead of testing every company.
    in_countries = select(Operation.company_id).where(Operation.country_code.in_(countries))
    return Company.id.in_(in_countries)


def staff_countries(user: User) -> Select:
    """The country codes of a representative's organisation (none without one)."""
    return select(RepresentativeCountry.country_code).where(
        RepresentativeCountry.representative_id == user.representative_id
    )


def visible_to(user: User) -> ColumnElement[bool]:
    """The condition on Company for what `user` may see as staff; nothing for non-staff."""
    if not user.is_staff:
        return false()
    if user.role is not Role.REPRESENTATIVE:
        return true()
    if user.representative_id is None:
        return false()
    return (Company.representative_id == user.representative_id) | operating_in(
        staff_countries(user)
    )


def staff_seeing(company: Company) -> Select:
    """The active staff who may see `company` (`visible_to` read from the company's side), by
    id: ECPAT reviewers and administrators, and the representatives of the organisation it is
    assigned to or of one of its countries. Who is told of what the company hands in."""
    covering = select(RepresentativeCountry.representative_id).where(
        RepresentativeCountry.country_code.in_(company.country_codes)
    )
    organisations = User.representative_id.in_(covering)
    if company.representative_id is not None:
        organisations = organisations | (User.representative_id == company.representative_id)
    return (
        select(User)
        .where(
            User.deactivated_at.is_(None),
            User.role.in_((Role.REVIEWER, Role.ADMIN))
            | ((User.role == Role.REPRESENTATIVE) & organisations),
        )
        .order_by(User.id)
    )


def visibility_key(user: User) -> str:
    """Equal for staff who see the same companies under visible_to: for keeping shared figures."""
    if user.role is not Role.REPRESENTATIVE:
        return "all"
    return f"org:{user.representative_id}"  # its countries and its members are the organisation's


def companies_visible_to(user: User) -> Select:
    return select(Company).where(visible_to(user))


def operating_in_countries(countries: Iterable[str]) -> Select:
    """Companies with an operation in one of `countries`, for a country page or filter."""
    return select(Company).where(operating_in(list(countries)))


def in_stage(stage: Stage) -> ColumnElement[bool]:
    """The condition on Company for being at `stage` (the SQL twin of `Company.stage`)."""
    return Company.stored_stage == stage


def with_pending_change() -> ColumnElement[bool]:
    """Companies whose change of details waits for staff."""
    pending = select(ChangeRequest.company_id).where(
        ChangeRequest.status == ChangeRequestStatus.PENDING
    )
    return Company.id.in_(pending)


def listed_publicly() -> ColumnElement[bool]:
    """The condition on Company for being listed (SQL twin of `Company.is_listed_publicly`)."""
    return Company.stored_stage.in_(listed_stages())


def reporting_member() -> ColumnElement[bool]:
    """The condition on Company for reporting every year (SQL twin of
    `Company.is_reporting_member`)."""
    return Company.stored_stage.in_(REPORTING_STAGES)


def membership_reporting() -> ColumnElement[bool]:
    """The same condition on Membership, for queries walking the memberships alone."""
    return Membership.standing.in_([Standing(stage.value) for stage in REPORTING_STAGES])


def on_record() -> ColumnElement[bool]:
    """The condition on Company for having signed, members and former members alike (SQL twin
    of `Company.has_membership`)."""
    return Company.stored_stage.in_(ON_RECORD_STAGES)


def membership_listed() -> ColumnElement[bool]:
    """The same condition on Membership, for queries walking the memberships alone."""
    return Membership.standing.in_([Standing(stage.value) for stage in listed_stages()])


def public_operation() -> ColumnElement[bool]:
    """The condition on Operation for its text being public (SQL twin of `Operation.is_public`)."""
    listing = select(Company.id).where(Company.publish_properties.is_(True)).correlate(None)
    return and_(Operation.reviewed.is_(True), Operation.company_id.in_(listing))


def publicly_listed() -> Select:
    """Companies the public directory lists: members of The Code (publication rules apply)."""
    return select(Company).where(listed_publicly())


def latest_signed_version() -> ScalarSelect:
    """The criteria version of each company's latest signature (`Company.latest_signature`:
    by signing time, then id), correlated to Company; NULL before any signature."""
    return (
        select(Signature.criteria_version)
        .where(Signature.company_id == Company.id)
        .order_by(Signature.signed_at.desc(), Signature.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def must_sign_again() -> ColumnElement[bool]:
    """The condition on Company for being asked to sign the version of the criteria in force
    (SQL twin of `Company.must_sign_again`)."""
    # Without a signature the subquery is NULL and the comparison not true: not asked.
    return and_(
        reporting_member(),
        latest_signed_version() != current_version(),
    )
