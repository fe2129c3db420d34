"""Review decisions on applications. They flush; the view commits and then e-mails."""

from collections.abc import Collection

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import selectinload

from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import Role, User
from tracker.companies import queries
from tracker.companies.enums import Stage
from tracker.companies.lifecycle import transition
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db

DECISIONS = (
    AuditAction.APPLICATION_RETURNED,
    AuditAction.APPLICATION_REJECTED,
    AuditAction.APPLICATION_APPROVED,
)


def list_companies(
    staff: User,
    status: str | None = None,
    country: str | None = None,
    name: str | None = None,
    newest_first: bool = False,
) -> Select:
    """The companies a staff member may see, oldest submission first, optionally filtered."""
    query = queries.companies_visible_to(staff)
    if status == CHANGES:
        query = query.where(queries.with_pending_change())
    elif status:
        query = query.where(queries.in_stage(Stage(status)))
    if country:
        query = query.where(queries.operating_in([country]))
    if name and name.strip():
        # autoescape: "%" and "_" in the search are letters to find, not LIKE wildcards.
        text = name.strip()
        query = query.where(
            _contains(Company.display_name, text) | _contains(Company.legal_name, text)
        )
    if newest_first:
        return query.order_by(Company.submitted_at.desc(), Company.id.desc())
    return query.order_by(Company.submitted_at, Company.id)


# The queue's status filter also offers the companies whose change of details awaits review.
CHANGES = "changes"


def count_pending_changes(staff: User) -> int:
    return count_matches(queries.companies_visible_to(staff).where(queries.with_pending_change()))


def pending_change_among(company_ids: Collection[int]) -> set[int]:
    """Those of the companies whose change of details awaits review, in one query."""
    if not company_ids:
        return set()
    query = select(Company.id).where(
        Company.id.in_(list(company_ids)), queries.with_pending_change()
    )
    return set(db.session.scalars(query))


def _contains(column, text: str):
    """`column` contains `text`, whatever the case. SQLite's LIKE ignores case already (its
    lower() folds ASCII only, as LIKE does), so lower() would only double the cost of reading
    every name; PostgreSQL's ILIKE is what its trigram indexes answer."""
    if db.engine.dialect.name == "sqlite":
        return column.contains(text, autoescape=True)
    return column.icontains(text, autoescape=True)


def page_of(query: Select, number: int, per_page: int) -> list[Company]:
    """Page `number` of `query`: first its ids, which the database reads from an index, then
    the whole rows of that page only, so that page 1,000 reads 25 companies, not 25,000.

    Their operations load with them (one query however long the page): the queue shows each
    company's countries.
    """
    ids = query.with_only_columns(Company.id).limit(per_page).offset((number - 1) * per_page)
    rows = query.where(Company.id.in_(ids.scalar_subquery()))
    return list(db.session.scalars(rows.options(selectinload(Company.operations))))


def count_matches(query: Select) -> int:
    """How many rows `query` gives."""
    ids = query.with_only_columns(Company.id).order_by(None)
    return db.session.scalar(select(func.count()).select_from(ids.subquery()))


def first_matches(query: Select, limit: int) -> list[int]:
    """The ids of up to `limit` rows of `query`, in no particular order (a search reads on until
    it has them, or to the end)."""
    return list(db.session.scalars(query.with_only_columns(Company.id).order_by(None).limit(limit)))


def country_scope(staff: User) -> list[str] | None:
    """The countries a representative covers, for filters and wording; None for all countries.

    Only what the pages offer: what staff may see is decided by `queries.visible_to` alone.
    """
    return staff.country_codes if staff.role is Role.REPRESENTATIVE else None


def count_by_status(staff: User) -> dict[Stage, int]:
    """How many companies `staff` may see at each stage, zeros included, in one query."""
    query = (
        queries.companies_visible_to(staff)
        .with_only_columns(Company.stored_stage, func.count())
        .group_by(Company.stored_stage)
    )
    return dict.fromkeys(Stage, 0) | dict(db.session.execute(query).all())


def resubmitted_among(company_ids: Collection[int]) -> set[int]:
    """Those of the companies whose latest submission is a resubmission, in one query.

    That is, an `application.resubmitted` entry comes after their last review decision. Entries
    are compared by id, the order they were written in: one company's entries are written one
    after another (the version check serialises them), and two may share a timestamp.
    """
    if not company_ids:
        return set()
    resubmitted = AuditAction.APPLICATION_RESUBMITTED.value
    decisions = [action.value for action in DECISIONS]
    last_resubmission = func.max(case((AuditEntry.action == resubmitted, AuditEntry.id)))
    last_decision = func.max(case((AuditEntry.action.in_(decisions), AuditEntry.id), else_=0))
    query = (
        select(AuditEntry.company_id)
        .where(
            AuditEntry.company_id.in_(list(company_ids)),
            AuditEntry.action.in_([resubmitted, *decisions]),
        )
        .group_by(AuditEntry.company_id)
        .having(last_resubmission > last_decision)
    )
    return set(db.session.scalars(query))


def _decide(company: Company, reviewer: User, action: AuditAction, **details) -> None:
    if not company.awaits_review and company.stage is not None:
        raise DomainError.on(
            None,
            _(
                "This application is no longer waiting for review (%(status)s).",
                status=company.stage.label,
            ),
        )
    transition(company, action, reviewer, **details)


def approve_application(company: Company, reviewer: User) -> None:
    """:raises DomainError: if the application is not waiting or not the reviewer's to decide."""
    _decide(company, reviewer, AuditAction.APPLICATION_APPROVED)


def return_application(company: Company, reviewer: User, comment: str) -> None:
    """Send the application back with what to change.

    :raises DomainError: as approve_application, or for an empty comment.
    """
    if not comment.strip():
        raise DomainError.on("comment", _("Say what the company should change."))
    _decide(company, reviewer, AuditAction.APPLICATION_RETURNED, comment=comment.strip())


def reject_application(company: Company, reviewer: User, reason: str) -> None:
    """:raises DomainError: as approve_application, or for an empty reason."""
    if not reason.strip():
        raise DomainError.on("reason", _("Give the reason for rejecting."))
    _decide(company, reviewer, AuditAction.APPLICATION_REJECTED, comment=reason.strip())
