"""Company services: applying, editing, signing. They flush; the view commits."""

from dataclasses import asdict, dataclass, fields

from sqlalchemy import select, update

from tracker import audit
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import Invitation, Role, User
from tracker.companies.criteria import CURRENT_VERSION, criteria
from tracker.companies.models import (
    Company,
    CompanyStatus,
    CompanyType,
    Operation,
    RevenueBand,
    Signature,
)
from tracker.countries import is_country_code
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow

# Fields a traveller sees in the public listing; changing them after approval is audited as such.
PUBLIC_FIELDS = ("display_name", "type", "hq_country", "website")


@dataclass(frozen=True)
class OperationInput:
    country_code: str
    property_name: str | None = None
    city: str | None = None


@dataclass(frozen=True)
class CompanyDetails:
    legal_name: str
    display_name: str
    type: CompanyType
    hq_country: str
    revenue_band: RevenueBand
    contact_name: str
    contact_email: str
    operations: tuple[OperationInput, ...]
    website: str | None = None
    contact_phone: str | None = None


# The company's own columns among the details (operations are rows of their own).
DETAIL_FIELDS = tuple(field.name for field in fields(CompanyDetails) if field.name != "operations")


@dataclass(frozen=True)
class SignatureInput:
    signatory_name: str
    signatory_title: str
    accepted_criteria: tuple[int, ...]
    authority_confirmed: bool
    criteria_version: str = CURRENT_VERSION


def check_details(details: CompanyDetails) -> None:
    """:raises DomainError: for unknown countries, no operations, or hotels without properties."""
    if not is_country_code(details.hq_country):
        raise DomainError.on("hq_country", "Choose a country from the list.")
    if not details.operations:
        raise DomainError.on("operations", "Add at least one country where you operate.")
    for operation in details.operations:
        if not is_country_code(operation.country_code):
            raise DomainError.on("operations", f"Unknown country code {operation.country_code!r}.")
        if details.type.has_properties and not (operation.property_name and operation.city):
            raise DomainError.on("operations", "Hotels name each property and its city.")


def _operation_key(operation: Operation | OperationInput) -> tuple[str, str, str]:
    return (operation.country_code, operation.property_name or "", operation.city or "")


def _apply(company: Company, details: CompanyDetails) -> None:
    for name, value in asdict(details).items():
        if name != "operations":
            setattr(company, name, value)
    # Keep the rows (and their ids) when the operations are the same, only reordered.
    if sorted(map(_operation_key, company.operations)) != sorted(
        map(_operation_key, details.operations)
    ):
        company.operations = [Operation(**asdict(operation)) for operation in details.operations]


def _snapshot(company: Company) -> dict:
    """The editable details as text, to record what an edit changed."""
    data = {name: str(getattr(company, name) or "") for name in DETAIL_FIELDS}
    data["operations"] = sorted(
        " ".join(filter(None, _operation_key(operation))) for operation in company.operations
    )
    return data


def submit_application(user: User, details: CompanyDetails) -> Company:
    """Create a company from an application; the applicant becomes its owner.

    :raises DomainError: if the user is staff, unconfirmed, already in a company, or the details
        break a rule.
    """
    if user.role is not Role.COMPANY or user.company_id is not None:
        raise DomainError.on(None, "This account already belongs to a company.")
    if not user.email_confirmed:
        raise DomainError.on(None, "Confirm your e-mail address before applying.")
    check_details(details)
    company = Company(status=CompanyStatus.SUBMITTED, submitted_at=utcnow())
    _apply(company, details)
    db.session.add(company)
    db.session.flush()
    # Conditional, so that of parallel applications by one user exactly one gets the user;
    # the caller rolls back the others' companies.
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, User.company_id.is_(None))
        .values(company_id=company.id, is_owner=True)
    )
    if claimed.rowcount != 1:
        raise DomainError.on(None, "This account already belongs to a company.")
    db.session.refresh(user)
    audit.record(
        "application.submitted", actor=user, company=company, to_status=CompanyStatus.SUBMITTED
    )
    return company


def update_company(company: Company, details: CompanyDetails, actor: User) -> dict:
    """Save new details; a returned or rejected application goes to review again.

    Returns the changes.

    :raises DomainError: if the details break a rule.
    """
    check_details(details)
    before = _snapshot(company)
    _apply(company, details)
    after = _snapshot(company)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        # Set explicitly so that a change of operations alone still updates the company row:
        # that records the time and, through the version check, conflicts with a concurrent
        # review decision instead of slipping in unreviewed.
        company.updated_at = utcnow()
    if company.is_sent_back:
        # Returned: changed as asked. Rejected: a new application, the old one on record.
        from_status = company.status
        company.status, company.submitted_at = CompanyStatus.SUBMITTED, utcnow()
        db.session.flush()
        audit.record(
            AuditAction.APPLICATION_RESUBMITTED
            if from_status is CompanyStatus.RETURNED
            else AuditAction.APPLICATION_RESTARTED,
            actor=actor,
            company=company,
            from_status=from_status,
            to_status=CompanyStatus.SUBMITTED,
            changes=changes,
            version=company.version,
        )
    elif changes:
        db.session.flush()
        public = sorted(set(changes) & {*PUBLIC_FIELDS, "operations"})
        audit.record(
            "company.updated",
            actor=actor,
            company=company,
            changes=changes,
            public_fields=public,
            version=company.version,
        )
    return changes


def membership_number(company_id: int) -> str:
    # Derived from the primary key: unique without a counter that concurrent signings could race on.
    return f"TC-{company_id:06d}"


def sign_code(company: Company, signer: User, signature: SignatureInput) -> Signature:
    """Record the signature and make the company a member.

    :raises DomainError: if the company is not approved, the signer is not its owner, or not
        every criterion of the current version is accepted with authority confirmed.
    """
    if company.status is not CompanyStatus.APPROVED:
        raise DomainError.on(None, "Only an approved application can be signed.")
    if signer.company_id != company.id or not signer.is_owner:
        raise DomainError.on(None, "Only the company's owner can sign The Code.")
    if signature.criteria_version != CURRENT_VERSION:
        raise DomainError.on(
            None, "The criteria have changed since this page was opened. Read them again and sign."
        )
    required = {criterion.number for criterion in criteria(signature.criteria_version)}
    if set(signature.accepted_criteria) != required:
        raise DomainError.on(None, "Accept all six criteria to sign The Code.")
    if not signature.authority_confirmed:
        raise DomainError.on("authority", "Confirm that you may sign for the company.")
    record = Signature(
        company=company,
        user=signer,
        signed_at=utcnow(),
        signatory_name=signature.signatory_name.strip(),
        signatory_title=signature.signatory_title.strip(),
        criteria_version=signature.criteria_version,
        accepted_criteria=sorted(required),
        authority_confirmed=True,
    )
    db.session.add(record)
    company.status = CompanyStatus.MEMBER
    company.membership_number = membership_number(company.id)
    company.joined_at = record.signed_at
    db.session.flush()
    audit.record(
        "company.signed",
        actor=signer,
        company=company,
        from_status=CompanyStatus.APPROVED,
        to_status=CompanyStatus.MEMBER,
        criteria_version=record.criteria_version,
        membership_number=company.membership_number,
    )
    return record


def latest_decision(company: Company) -> AuditEntry | None:
    """The most recent review decision, to show its comment to the company."""
    query = audit.company_history(company.id).where(
        AuditEntry.action.in_(
            ["application.returned", "application.rejected", "application.approved"]
        )
    )
    return db.session.scalars(query).first()


def colleagues(company: Company) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.company_id == company.id)
            .order_by(User.is_owner.desc(), User.name)
        )
    )


def pending_invitations(company: Company) -> list[Invitation]:
    """Invitations not yet accepted, newest first."""
    query = (
        select(Invitation)
        .where(Invitation.company_id == company.id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc())
    )
    return list(db.session.scalars(query))
