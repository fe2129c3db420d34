"""Review decisions on applications. They flush; the view commits and then e-mails."""

from sqlalchemy import Select, select

from tracker import audit
from tracker.auth.models import User
from tracker.companies import queries
from tracker.companies.models import Company, CompanyStatus
from tracker.domain import DomainError
from tracker.extensions import db


def list_companies(
    staff: User, status: str | None = None, country: str | None = None, name: str | None = None
) -> Select:
    """The companies a staff member may see, oldest submission first, optionally filtered."""
    query = queries.companies_visible_to(staff)
    if status:
        query = query.where(Company.status == CompanyStatus(status))
    if country:
        query = query.where(queries.operating_in([country]))
    if name and name.strip():
        # autoescape: "%" and "_" in the search are letters to find, not LIKE wildcards.
        text = name.strip()
        query = query.where(
            Company.display_name.icontains(text, autoescape=True)
            | Company.legal_name.icontains(text, autoescape=True)
        )
    return query.order_by(Company.submitted_at, Company.id)


def may_review(reviewer: User, company: Company) -> bool:
    """Whether the company lies within what `reviewer` may see (the same SQL rule as the queue)."""
    query = select(Company.id).where(Company.id == company.id, queries.visible_to(reviewer))
    return db.session.scalar(query) is not None


def _decide(
    company: Company, reviewer: User, to_status: CompanyStatus, action: str, **details
) -> None:
    if not may_review(reviewer, company):
        raise DomainError.on(None, "You may not review this application.")
    if company.status is not CompanyStatus.SUBMITTED:
        raise DomainError.on(
            None, f"This application is no longer waiting for review ({company.status.label})."
        )
    from_status = company.status
    company.status = to_status
    db.session.flush()  # the version check fails here if another reviewer decided meanwhile
    audit.record(
        action,
        actor=reviewer,
        company=company,
        from_status=from_status,
        to_status=to_status,
        version=company.version,
        **details,
    )


def approve_application(company: Company, reviewer: User) -> None:
    """:raises DomainError: if the application is not waiting or not the reviewer's to decide."""
    _decide(company, reviewer, CompanyStatus.APPROVED, "application.approved")


def return_application(company: Company, reviewer: User, comment: str) -> None:
    """Send the application back with what to change.

    :raises DomainError: as approve_application, or for an empty comment.
    """
    if not comment.strip():
        raise DomainError.on("comment", "Say what the company should change.")
    _decide(
        company, reviewer, CompanyStatus.RETURNED, "application.returned", comment=comment.strip()
    )


def reject_application(company: Company, reviewer: User, reason: str) -> None:
    """:raises DomainError: as approve_application, or for an empty reason."""
    if not reason.strip():
        raise DomainError.on("reason", "Give the reason for rejecting.")
    _decide(
        company, reviewer, CompanyStatus.REJECTED, "application.rejected", comment=reason.strip()
    )
