"""Changes after approval: reviewed fields wait for staff; contact details change at once.

An approved company or member edits its details as before. What the public sees and what the
membership rests on (names, type, headquarters, website, revenue band, the countries of
operation) becomes a change request that staff approve or return, like an application; until
then the approved values stand. Everything else (contact details, properties in countries
already approved) is saved at once by `services.update_company`, which calls `split` and
`propose` here. Services flush; the view commits.
"""

from dataclasses import asdict, replace
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import select

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth.models import User
from tracker.companies import services
from tracker.companies.applications import ChangeRequest, ChangeRequestStatus
from tracker.companies.enums import CompanyType, RevenueBand
from tracker.companies.lifecycle import Party, is_party
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow

REVIEWED_FIELDS = ("legal_name", "display_name", "type", "hq_country", "website", "revenue_band")
OPEN = (ChangeRequestStatus.PENDING, ChangeRequestStatus.RETURNED)


def open_request(company: Company) -> ChangeRequest | None:
    query = select(ChangeRequest).where(
        ChangeRequest.company_id == company.id, ChangeRequest.status.in_(OPEN)
    )
    return db.session.scalar(query)


def _text(value) -> str:
    return "" if value is None else str(value)


def _countries(operations) -> list[str]:
    return sorted({operation.country_code for operation in operations})


def split(company: Company, details):
    """(what saves at once, what needs review) of new `details` for an approved company.

    The first is `details` with the reviewed fields (and the operations, when the countries
    change) kept as they stand; the second maps each reviewed field that changes to its new value.
    """
    proposed = {
        name: _text(getattr(details, name))
        for name in REVIEWED_FIELDS
        if _text(getattr(details, name)) != _text(getattr(company, name))
    }
    at_once = replace(details, **{name: getattr(company, name) for name in REVIEWED_FIELDS})
    if _countries(details.operations) != company.country_codes:
        proposed["operations"] = [list(asdict(op).values()) for op in details.operations]
        at_once = replace(at_once, operations=services.inputs_of(company.operations))
    return at_once, proposed


def requested_changes(company: Company, proposed: dict) -> dict:
    """The proposal as {field: [before, after]}, the form the history shows."""
    changes = {name: [_text(getattr(company, name)), value] for name, value in proposed.items()}
    if "operations" in proposed:
        del changes["operations"]
        after = sorted({row[0] for row in proposed["operations"]})
        changes["countries"] = [company.country_codes, after]
    return changes


def propose(company: Company, proposed: dict, actor: User) -> ChangeRequest | None:
    """Open, amend or (when nothing is left to review) withdraw the company's change request."""
    request = open_request(company)
    if not proposed:
        if request is not None:
            _record(company, request, ChangeRequestStatus.WITHDRAWN, actor)
        return None
    if request is not None and request.awaits_review and request.proposed == proposed:
        return request  # saved again unchanged: nothing new to review
    if request is None:
        request = ChangeRequest(company=company, requested_by_id=actor.id, proposed=proposed)
        db.session.add(request)
    request.proposed, request.requested_by_id = proposed, actor.id
    request.submitted_at = utcnow()
    _record(
        company,
        request,
        ChangeRequestStatus.PENDING,
        actor,
        changes=requested_changes(company, proposed),
    )
    return request


def approve_change_request(company: Company, reviewer: User) -> dict:
    """Apply the pending proposal. Returns the changes applied.

    :raises DomainError: if nothing awaits review, or the reviewer may not see the company.
    """
    request = _pending(company, reviewer)
    changes = requested_changes(company, request.proposed)
    _apply_proposal(company, request.proposed)
    request.decided_by_id, request.decided_at = reviewer.id, utcnow()
    _record(company, request, ChangeRequestStatus.APPROVED, reviewer, changes=changes)
    return changes


def return_change_request(company: Company, reviewer: User, comment: str) -> None:
    """:raises DomainError: as approve_change_request, or for an empty comment."""
    if not (comment or "").strip():
        raise DomainError.on("change_comment", _("Say what the company should correct."))
    request = _pending(company, reviewer)
    request.comment = comment.strip()
    request.decided_by_id, request.decided_at = reviewer.id, utcnow()
    _record(company, request, ChangeRequestStatus.RETURNED, reviewer, comment=request.comment)


def _pending(company: Company, reviewer: User) -> ChangeRequest:
    if not is_party(Party.STAFF, reviewer, company):
        raise DomainError.on(None, _("Only staff who may see the company may do this."))
    request = open_request(company)
    if request is None or not request.awaits_review:
        raise DomainError.on(None, _("No change of this company is waiting for review."))
    return request


# How each reviewed field's stored text becomes the value the company holds.
PARSE = {
    "type": CompanyType,
    "revenue_band": RevenueBand,
    "website": lambda text: text or None,
}


def _apply_proposal(company: Company, proposed: dict) -> None:
    values = {
        name: PARSE.get(name, str)(proposed[name]) for name in REVIEWED_FIELDS if name in proposed
    }
    values["operations"] = services.inputs_of(company.operations)
    if "operations" in proposed:
        values["operations"] = tuple(
            services.OperationInput(country, name or None, city or None)
            for country, name, city in proposed["operations"]
        )
    current = {name: getattr(company, name) for name in services.DETAIL_FIELDS}
    details = services.CompanyDetails(**(current | values))
    services.check_details(details)
    services._apply(company, details, reviewed=True)  # the reviewer approved these rows


ACTIONS = {
    ChangeRequestStatus.PENDING: AuditAction.CHANGE_REQUESTED,
    ChangeRequestStatus.RETURNED: AuditAction.CHANGE_RETURNED,
    ChangeRequestStatus.APPROVED: AuditAction.CHANGE_APPROVED,
    ChangeRequestStatus.WITHDRAWN: AuditAction.CHANGE_WITHDRAWN,
}


def _record(company, request, status, actor, **details) -> None:
    request.status = status
    # The company row changes too, so its version moves and a reviewer deciding on what they
    # read cannot approve a proposal amended since.
    company.updated_at = utcnow()
    db.session.flush()
    audit.record(
        ACTIONS[status],
        actor=actor,
        company=company,
        change_request=request.id,
        version=company.version,
        **details,
    )


def as_requested(company: Company):
    """The company as its open change request would make it: what its edit form starts from."""
    request = open_request(company)
    if request is None:
        return company
    values = {name: getattr(company, name) for name in services.DETAIL_FIELDS}
    for name in REVIEWED_FIELDS:
        if name in request.proposed:
            values[name] = PARSE.get(name, str)(request.proposed[name])
    values["operations"] = company.operations
    if "operations" in request.proposed:
        values["operations"] = [
            SimpleNamespace(country_code=country, property_name=name, city=city)
            for country, name, city in request.proposed["operations"]
        ]
    return SimpleNamespace(**values)
