"""Representative organisations, members' assignment and the permission table. They flush."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from tracker import audit
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.decisions import may_decide, permission_table
from tracker.auth.models import (
    Decision,
    Representative,
    RepresentativeCountry,
    RepresentativePermission,
    Role,
    User,
)
from tracker.companies.lifecycle import Party, is_party
from tracker.companies.models import Company
from tracker.countries import is_country_code
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import MAX_ID, utcnow


@dataclass(frozen=True)
class RepresentativeDetails:
    name: str
    countries: tuple[str, ...]
    website: str | None = None
    email: str | None = None
    phone: str | None = None


def list_representatives() -> list[Representative]:
    return list(db.session.scalars(select(Representative).order_by(Representative.name)))


def get_representative(representative_id: int) -> Representative | None:
    return (
        db.session.get(Representative, representative_id)
        if 0 < representative_id <= MAX_ID
        else None
    )


@dataclass(frozen=True)
class PublicContact:
    """What the public sees of a representative, and nothing more."""

    name: str
    website: str | None
    email: str | None
    phone: str | None


def public_contacts(country_code: str) -> list[PublicContact]:
    """The public contact of each organisation covering a country, by name."""
    return [
        PublicContact(org.name, org.website, org.email, org.phone)
        for org in db.session.scalars(covering(country_code))
    ]


def covering(country_code: str) -> Select:
    """The organisations covering a country, by name, for its public page."""
    in_country = select(RepresentativeCountry.representative_id).where(
        RepresentativeCountry.country_code == country_code
    )
    return (
        select(Representative)
        .where(Representative.id.in_(in_country))
        .order_by(Representative.name)
    )


def _clean(details: RepresentativeDetails, current: Representative | None) -> RepresentativeDetails:
    name = details.name.strip()
    if not name:
        raise DomainError.on("name", _("Give the organisation's name."))
    countries = tuple(sorted(set(details.countries)))
    if not countries:
        raise DomainError.on("countries", _("A representative needs at least one country."))
    if not all(is_country_code(code) for code in countries):
        raise DomainError.on("countries", _("Choose countries from the list."))
    taken = select(Representative.id).where(func.lower(Representative.name) == name.lower())
    if current is not None:
        taken = taken.where(Representative.id != current.id)
    if db.session.scalar(taken) is not None:
        raise DomainError.on("name", _("Another representative has this name."))
    return RepresentativeDetails(
        name=name,
        countries=countries,
        website=(details.website or "").strip() or None,
        email=(details.email or "").strip().lower() or None,
        phone=(details.phone or "").strip() or None,
    )


def create_representative(admin: User | None, details: RepresentativeDetails) -> Representative:
    """:raises DomainError: without a name or countries, for unknown countries or a taken name."""
    details = _clean(details, None)
    representative = Representative(
        name=details.name, website=details.website, email=details.email, phone=details.phone
    )
    representative.countries = [RepresentativeCountry(country_code=c) for c in details.countries]
    db.session.add(representative)
    db.session.flush()
    audit.record(
        AuditAction.REPRESENTATIVE_CREATED,
        actor=admin,
        representative_id=representative.id,
        name=representative.name,
        countries=list(details.countries),
    )
    return representative


def update_representative(
    admin: User, representative: Representative, details: RepresentativeDetails
) -> None:
    """Change an organisation's name, contact or countries; audited with what changed.

    :raises DomainError: as create_representative.
    """
    details = _clean(details, representative)
    before = _snapshot(representative)
    representative.name, representative.website = details.name, details.website
    representative.email, representative.phone = details.email, details.phone
    old = representative.country_codes
    # Keep the rows that stay: re-inserting one before the old row is deleted breaks uniqueness.
    kept = [row for row in representative.countries if row.country_code in details.countries]
    added = [RepresentativeCountry(country_code=c) for c in details.countries if c not in old]
    representative.countries = kept + added
    db.session.flush()
    after = _snapshot(representative) | {"countries": list(details.countries)}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        audit.record(
            AuditAction.REPRESENTATIVE_UPDATED,
            actor=admin,
            representative_id=representative.id,
            changes=changes,
        )


def _snapshot(representative: Representative) -> dict:
    return {
        "name": representative.name,
        "website": representative.website,
        "email": representative.email,
        "phone": representative.phone,
        "countries": representative.country_codes,
    }


def assign_representative(
    staff: User, company: Company, representative: Representative | None
) -> None:
    """Let `representative` support `company` (None: ECPAT itself); audited.

    :raises DomainError: for a representative account (ECPAT staff assign members).
    """
    if not may_decide(staff, Decision.ASSIGN_REPRESENTATIVE):
        raise DomainError.on(None, _("Only ECPAT staff may take this decision."))
    old = company.representative
    if old is representative:
        return
    company.representative = representative
    company.updated_at = utcnow()
    db.session.flush()
    audit.record(
        AuditAction.REPRESENTATIVE_ASSIGNED,
        actor=staff,
        company=company,
        changes={
            "representative": [
                old.name if old else None,
                representative.name if representative else None,
            ]
        },
    )


def set_permissions(admin: User, allowed: dict[Decision, bool]) -> list[Decision]:
    """Set which editable decisions representatives may take; returns those changed, audited.

    :raises DomainError: for a decision only ECPAT staff take.
    """
    if any(not decision.is_editable for decision in allowed):
        raise DomainError.on(None, _("Only ECPAT staff take this decision; it cannot be granted."))
    current = permission_table()
    changed = [decision for decision, value in allowed.items() if current[decision] != value]
    for decision in changed:
        row = db.session.get(RepresentativePermission, decision) or RepresentativePermission(
            decision=decision
        )
        row.allowed, row.updated_at, row.updated_by_id = allowed[decision], utcnow(), admin.id
        db.session.add(row)
    db.session.flush()
    for decision in changed:
        audit.record(
            AuditAction.REPRESENTATIVE_PERMISSION_CHANGED,
            actor=admin,
            decision=decision.value,
            changes={"allowed": [current[decision], allowed[decision]]},
        )
    return changed


def recommend_approval(company: Company, actor: User, comment: str) -> None:
    """Record a representative's recommendation to approve the application, for staff to read.

    :raises DomainError: without a comment, for someone the permission table does not allow or
        who may not see the company, or an application not waiting for review.
    """
    _check_may_recommend(actor, company, comment)
    if not company.awaits_review:
        raise DomainError.on(None, _("This application is not waiting for a decision."))
    audit.record(
        AuditAction.APPROVAL_RECOMMENDED, actor=actor, company=company, comment=comment.strip()
    )


def recommend_report_approval(report, actor: User, comment: str) -> None:
    """Record a recommendation to accept a submitted report, for staff to read.

    :raises DomainError: as recommend_approval, or a report not waiting for a decision.
    """
    from tracker.reports.models import ReportState

    _check_may_recommend(actor, report.company, comment)
    if report.state is not ReportState.SUBMITTED:
        raise DomainError.on(None, _("This report is not waiting for a decision."))
    audit.record(
        AuditAction.REPORT_APPROVAL_RECOMMENDED,
        actor=actor,
        company=report.company,
        year=report.year,
        report_id=report.id,
        comment=comment.strip(),
    )


def recommendations(company: Company) -> list:
    """The representatives' recommendations to approve the application as it now stands
    (made since it was last submitted), oldest first: what ECPAT staff weigh in deciding."""
    query = (
        select(AuditEntry)
        .where(
            AuditEntry.company_id == company.id,
            AuditEntry.action == AuditAction.APPROVAL_RECOMMENDED.value,
            AuditEntry.created_at >= company.submitted_at,
        )
        .order_by(AuditEntry.id)
    )
    return list(db.session.scalars(query))


def may_recommend(company: Company, user: User) -> bool:
    """Whether to offer `user` the recommendation on an application: representatives only
    (ECPAT staff decide themselves), when the table allows it and the application waits."""
    return _offers_recommendation(user) and company.awaits_review


def may_recommend_report(report, user: User) -> bool:
    from tracker.reports.models import ReportState

    return _offers_recommendation(user) and report.state is ReportState.SUBMITTED


def _offers_recommendation(user: User) -> bool:
    return user.role is Role.REPRESENTATIVE and may_decide(user, Decision.RECOMMEND_APPROVAL)


def _check_may_recommend(actor: User, company: Company, comment: str) -> None:
    if not may_decide(actor, Decision.RECOMMEND_APPROVAL):
        raise DomainError.on(None, _("Only ECPAT staff may take this decision."))
    if not is_party(Party.STAFF, actor, company):
        raise DomainError.on(None, _("Only staff who may see the company may do this."))
    if not comment.strip():
        raise DomainError.on("comment", _("Say why you recommend approval."))
