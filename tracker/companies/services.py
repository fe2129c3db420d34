"""Company services: applying, editing, signing. They flush; the view commits."""

from collections import Counter
from dataclasses import asdict, dataclass, fields, replace

from flask_babel import gettext as _
from sqlalchemy import select, update

from tracker import audit
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import Invitation, Role, User
from tracker.billing import services as billing
from tracker.companies import drafts
from tracker.companies.criteria import criteria, current_version
from tracker.companies.enums import CompanyType, RevenueBand, Stage
from tracker.companies.lifecycle import Party, is_party, membership_number, transition
from tracker.companies.models import Company
from tracker.companies.operations import Operation
from tracker.companies.signatures import Signature
from tracker.countries import is_country_code
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow

# The most operations (properties or countries) one company lists, by form or by import.
MAX_PROPERTIES = 2000
# How many removed and added operations an audit entry names, each.
RECORDED_ROWS = 50

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
    # The version the signatory read (the sign page sends it): it must still be in force.
    # None, for callers without a page (the CLI, imports), means the version in force.
    criteria_version: str | None = None


def check_details(details: CompanyDetails) -> None:
    """:raises DomainError: for unknown countries, no or too many operations, or hotels without
    properties."""
    if not is_country_code(details.hq_country):
        raise DomainError.on("hq_country", _("Choose a country from the list."))
    if not details.operations:
        raise DomainError.on("operations", _("Add at least one country where you operate."))
    if len(details.operations) > MAX_PROPERTIES:
        raise DomainError.on(
            "operations",
            _("A company lists at most %(max)d properties and countries.", max=MAX_PROPERTIES),
        )
    for operation in details.operations:
        if not is_country_code(operation.country_code):
            raise DomainError.on(
                "operations",
                _("Unknown country code %(code)s.", code=repr(operation.country_code)),
            )
        if details.type.has_properties and not (operation.property_name and operation.city):
            raise DomainError.on("operations", _("Hotels name each property and its city."))


def _operation_key(operation: Operation | OperationInput) -> tuple[str, str, str]:
    return (operation.country_code, operation.property_name or "", operation.city or "")


def _apply(company: Company, details: CompanyDetails, reviewed: bool = True) -> None:
    """Set the company's details; rows added are `reviewed` (seen by staff, or going to be
    with the application) or wait for staff before the public sees their text."""
    for name, value in asdict(details).items():
        if name != "operations":
            setattr(company, name, value)
    # Keep every row that stays (and its id), delete those that go and add only the new ones:
    # adding one property to a chain of 2,000 writes one row, not 4,000.
    wanted = Counter(map(_operation_key, details.operations))
    kept = []
    for operation in company.operations:
        key = _operation_key(operation)
        if wanted[key] > 0:
            wanted[key] -= 1
            kept.append(operation)
    added = [
        Operation(
            country_code=country, property_name=name or None, city=city or None, reviewed=reviewed
        )
        for (country, name, city), count in wanted.items()
        for _ in range(count)
    ]
    if added or len(kept) != len(company.operations):
        company.operations = kept + added


def inputs_of(operations) -> tuple[OperationInput, ...]:
    """Operations (rows, or anything with their three fields) as inputs to save again."""
    return tuple(
        OperationInput(op.country_code, op.property_name or None, op.city or None)
        for op in operations
    )


def details_of(company: Company, operations=None) -> CompanyDetails:
    """The company's details as they stand, optionally with other operations."""
    values = {name: getattr(company, name) for name in DETAIL_FIELDS}
    if operations is None:
        operations = inputs_of(company.operations)
    return CompanyDetails(**values, operations=tuple(operations))


def _recorded(changes: dict) -> dict:
    """What the audit keeps of `changes`: a large change of operations as the rows removed and
    added, capped, rather than two lists of up to 2,000 rows (the history shows the same)."""
    if "operations" not in changes:
        return changes
    before, after = changes["operations"]
    if len(before) + len(after) <= 2 * RECORDED_ROWS:
        return changes
    removed = sorted(set(before) - set(after))
    added = sorted(set(after) - set(before))
    return changes | {"operations": [_capped(removed), _capped(added)]}


def _capped(rows: list[str]) -> list[str]:
    if len(rows) <= RECORDED_ROWS:
        return rows
    return [*rows[:RECORDED_ROWS], f"… (+{len(rows) - RECORDED_ROWS})"]


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
        raise DomainError.on(None, _("This account already belongs to a company."))
    if not user.email_confirmed:
        raise DomainError.on(None, _("Confirm your e-mail address before applying."))
    check_details(details)
    company = Company()
    _apply(company, details)
    transition(company, AuditAction.APPLICATION_SUBMITTED, user)
    # Conditional, so that of parallel applications by one user exactly one gets the user;
    # the caller rolls back the others' companies.
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, User.company_id.is_(None))
        .values(company_id=company.id, is_owner=True)
    )
    if claimed.rowcount != 1:
        raise DomainError.on(None, _("This account already belongs to a company."))
    db.session.refresh(user)
    drafts.discard_draft(user)  # applied: the unfinished copy has served its purpose
    return company


def update_company(company: Company, details: CompanyDetails, actor: User) -> dict:
    """Save new details; a returned or rejected application goes to review again.

    Once approved, changes to reviewed details become a change request instead (see
    `change_requests`); the rest is saved at once. Returns every change, saved or requested.

    :raises DomainError: if the details break a rule.
    """
    check_details(details)
    requested = {}
    if change_requests_for(company):
        # Imported here: change_requests builds on this module's inputs and _apply.
        from tracker.companies import change_requests

        details, proposed = change_requests.split(company, details)
        requested = change_requests.requested_changes(company, proposed)
        change_requests.propose(company, proposed, actor)
    before = _snapshot(company)
    # Once approved, rows change at once but their text waits for staff (publish_properties).
    _apply(company, details, reviewed=not change_requests_for(company))
    after = _snapshot(company)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        # Set explicitly so that a change of operations alone still updates the company row:
        # that records the time and, through the version check, conflicts with a concurrent
        # review decision instead of slipping in unreviewed.
        company.updated_at = utcnow()
    if company.is_sent_back:
        # Returned: changed as asked. Rejected: a new application, the old one on record.
        action = (
            AuditAction.APPLICATION_RESTARTED
            if company.is_rejected
            else AuditAction.APPLICATION_RESUBMITTED
        )
        transition(company, action, actor, changes=_recorded(changes))
    elif changes:
        db.session.flush()
        public = sorted(set(changes) & {*PUBLIC_FIELDS, "operations"})
        audit.record(
            "company.updated",
            actor=actor,
            company=company,
            changes=_recorded(changes),
            public_fields=public,
            version=company.version,
        )
    return changes | requested


def unreviewed_operations(company: Company) -> list[Operation]:
    """The rows whose text waits for staff before the public sees it."""
    return [operation for operation in company.operations if not operation.reviewed]


def publish_properties(company: Company, staff: User) -> int:
    """Let the public see the text of the rows the member added since staff last looked;
    returns how many. Audited with the rows published.

    :raises DomainError: for staff who may not see the company, or nothing waiting.
    """
    if not is_party(Party.STAFF, staff, company):
        raise DomainError.on(None, _("Only staff who may see the company may do this."))
    waiting = unreviewed_operations(company)
    if not waiting:
        raise DomainError.on(None, _("No property of this company is waiting for review."))
    for operation in waiting:
        operation.reviewed = True
    company.updated_at = utcnow()  # a change the public sees: kept pages are made again
    db.session.flush()
    rows = _capped(sorted(" / ".join(filter(None, _operation_key(op))) for op in waiting))
    audit.record(AuditAction.PROPERTIES_PUBLISHED, actor=staff, company=company, rows=rows)
    return len(waiting)


def change_requests_for(company: Company) -> bool:
    """Whether changes to reviewed details become a change request (once approved)."""
    return company.stage in (Stage.APPROVED, Stage.ACTIVE, Stage.SUSPENDED)


def sign_code(company: Company, signer: User, signature: SignatureInput) -> Signature:
    """Record the signature: an approved company becomes a member; a member asked to sign a new
    version of the criteria (`Company.must_sign_again`) stays one, now under that version.

    :raises DomainError: if the company is neither approved nor asked to sign again, the signer
        is not its owner, or not every criterion of the current version is accepted with
        authority confirmed.
    """
    if signature.criteria_version is None:
        signature = replace(signature, criteria_version=current_version())
    again = company.must_sign_again
    if not (company.may_sign or again):
        raise DomainError.on(None, _("Only an approved application can be signed."))
    _check_signature(company, signer, signature)
    # The joining fee comes first (plan approved, invoice issued, paid or waived).
    if not again and not billing.joining_settled(company):
        raise DomainError.on(None, _("Sign once the invoice is paid."))
    if again:
        audit.record(
            AuditAction.CRITERIA_SIGNED_AGAIN,
            actor=signer,
            company=company,
            criteria_version=signature.criteria_version,
            previous_version=company.latest_signature.criteria_version,
        )
    else:
        transition(
            company,
            AuditAction.COMPANY_SIGNED,
            signer,
            criteria_version=signature.criteria_version,
            membership_number=membership_number(company.id),
        )
    required = {criterion.number for criterion in criteria(signature.criteria_version)}
    record = Signature(
        company=company,
        user=signer,
        signed_at=utcnow() if again else company.joined_at,
        signatory_name=signature.signatory_name.strip(),
        signatory_title=signature.signatory_title.strip(),
        criteria_version=signature.criteria_version,
        accepted_criteria=sorted(required),
        authority_confirmed=True,
    )
    db.session.add(record)
    db.session.flush()
    return record


def _check_signature(company: Company, signer: User, signature: SignatureInput) -> None:
    """:raises DomainError: unless the owner accepts every criterion of the version in force,
    with authority confirmed."""
    if signer.company_id != company.id or not signer.is_owner:
        raise DomainError.on(None, _("Only the company's owner can sign The Code."))
    if signature.criteria_version != current_version():
        raise DomainError.on(
            None,
            _("The criteria have changed since this page was opened. Read them again and sign."),
        )
    required = {criterion.number for criterion in criteria(signature.criteria_version)}
    if set(signature.accepted_criteria) != required:
        raise DomainError.on(None, _("Accept all six criteria to sign The Code."))
    if not signature.authority_confirmed:
        raise DomainError.on("authority", _("Confirm that you may sign for the company."))


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
    """Invitations not yet accepted nor cancelled, newest first."""
    query = (
        select(Invitation)
        .where(
            Invitation.company_id == company.id,
            Invitation.accepted_at.is_(None),
            Invitation.cancelled_at.is_(None),
        )
        .order_by(Invitation.created_at.desc())
    )
    return list(db.session.scalars(query))
