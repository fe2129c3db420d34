"""Top Member: a yearly list. ECPAT staff name the Top Members of reporting year N from the
members whose report for N is accepted (the criteria rule, `criteria_met`, is their guide, not
a gate), and the title belongs to that year: "Top Member 2026" stays published, through
31 December and 1 January alike, until staff name the next year's list.

What the public sees is one rule, `latest_title(company)`: a member holds the title of the
latest named year (the most recent year for which any Top Member stands named) if it was named
for that year and is a member in good standing with ECPAT (not suspended, withdrawn or
expelled). Its SQL twin `latest_title_holder()` serves the directory's lists and filter; the
tests hold them to each other member by member.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, func, select

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth.decisions import may_decide
from tracker.auth.models import Decision, User
from tracker.companies.enums import Standing
from tracker.companies.models import Company, Membership
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.reports import implementation
from tracker.reports.models import Report, ReportState, TopMemberAward


def criteria_met(content: dict) -> dict[int, bool]:
    """Criterion number (1-5) -> whether a report's answers show it implemented. The sixth,
    reporting every year, is met by the report being accepted at all. The rule and its
    settings are in `reports.implementation`."""
    return implementation.criteria_met(content)


def unmet_criteria(content: dict) -> list[str]:
    """The criteria an accepted report's answers do not show as implemented, by name."""
    names = {
        1: _("Policy and procedures"),
        2: _("Staff training"),
        3: _("Contracts"),
        4: _("Information for travellers"),
        5: _("Stakeholders"),
    }
    return [names[number] for number, met in criteria_met(content).items() if not met]


def title_label(year: int) -> str:
    """The title as the public reads it, in the reader's language."""
    return _("Top Member %(year)s", year=year)


# -- The rule the public sees, and its SQL twin ------------------------------------------------


def _standing_awards() -> Select:
    return select(TopMemberAward).where(TopMemberAward.withdrawn_at.is_(None))


def latest_named_year_query():
    """Scalar subquery: the most recent year with any Top Member standing named (or NULL)."""
    return (
        select(func.max(TopMemberAward.year))
        .where(TopMemberAward.withdrawn_at.is_(None))
        .scalar_subquery()
    )


def latest_named_year() -> int | None:
    """The year whose Top Members are published now; None before any list was named."""
    return db.session.scalar(select(latest_named_year_query()))


def latest_title(company: Company) -> int | None:
    """The year of the Top Member title the member shows now (see the module's docstring), or
    None. `latest_title_holder()` is its SQL twin."""
    if not company.is_member:
        return None
    year = latest_named_year()
    if year is None:
        return None
    award = db.session.scalar(
        _standing_awards().where(
            TopMemberAward.company_id == company.id, TopMemberAward.year == year
        )
    )
    return year if award is not None else None


def latest_title_holder() -> ColumnElement[bool]:
    """On Membership (joined to nothing else): `latest_title(company) is not None`, in SQL."""
    # Driven from the year's few awards (their index), not from every membership.
    named = select(TopMemberAward.company_id).where(
        TopMemberAward.year == latest_named_year_query(),
        TopMemberAward.withdrawn_at.is_(None),
    )
    return and_(Membership.standing == Standing.ACTIVE, Membership.company_id.in_(named))


def titles_of(company: Company) -> list[TopMemberAward]:
    """Every award the member was given, newest year first (withdrawn ones too)."""
    query = (
        select(TopMemberAward)
        .where(TopMemberAward.company_id == company.id)
        .order_by(TopMemberAward.year.desc())
    )
    return list(db.session.scalars(query))


# -- The staff page: the members of year N to choose from ----------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A member whose report for the year is accepted, with the criteria rule as a guide."""

    company: Company
    report: Report
    award: TopMemberAward | None

    @property
    def unmet(self) -> list[str]:
        return unmet_criteria(self.report.latest_submission.content)

    @property
    def criteria_met(self) -> bool:
        return not self.unmet

    @property
    def is_named(self) -> bool:
        return self.award is not None and self.award.is_standing


def candidates_query(year: int) -> Select:
    """(Company, Report, award or None) for every member whose report for `year` is accepted,
    by name: what staff choose the year's Top Members from."""
    award = and_(TopMemberAward.company_id == Company.id, TopMemberAward.year == year)
    return (
        select(Company, Report, TopMemberAward)
        .join(Report, and_(Report.company_id == Company.id, Report.year == year))
        .outerjoin(TopMemberAward, award)
        .where(Report.state == ReportState.ACCEPTED)
        .order_by(Company.search_name, Company.id)
    )


def named_years() -> list[int]:
    """The years for which any Top Member stands named, newest first."""
    query = _standing_awards().with_only_columns(TopMemberAward.year).distinct()
    return sorted(db.session.scalars(query), reverse=True)


# -- Naming and withdrawing ---------------------------------------------------------------------


def _check_actor(actor: User) -> None:
    # Only ECPAT staff name Top Members (representatives support, ECPAT decides).
    if not may_decide(actor, Decision.TOP_MEMBER):
        raise DomainError.on(None, _("Only ECPAT staff name Top Members."))


def accepted_report(company: Company, year: int) -> Report | None:
    query = select(Report).where(
        Report.company_id == company.id, Report.year == year, Report.state == ReportState.ACCEPTED
    )
    return db.session.scalar(query)


def award_for(company: Company, year: int) -> TopMemberAward | None:
    query = select(TopMemberAward).where(
        TopMemberAward.company_id == company.id, TopMemberAward.year == year
    )
    return db.session.scalar(query)


def name_top_member(
    company: Company, year: int, actor: User, citation: str | None = None
) -> TopMemberAward:
    """Name the member a Top Member of reporting year `year` (again, if it was withdrawn).

    :raises DomainError: for a representative or company user, a member not in good standing,
        one whose report for `year` is not accepted, or one already named for `year`.
    """
    _check_actor(actor)
    if not company.is_member:
        raise DomainError.on(None, _("Only members in good standing can be Top Members."))
    if accepted_report(company, year) is None:
        raise DomainError.on(None, _("Its report for %(year)s is not accepted.", year=year))
    award = award_for(company, year)
    if award is not None and award.is_standing:
        raise DomainError.on(None, _("It is already a Top Member of %(year)s.", year=year))
    if award is None:
        award = TopMemberAward(company_id=company.id, year=year)
        db.session.add(award)
    award.named_by_id, award.named_at = actor.id, utcnow()
    award.citation = (citation or "").strip() or None
    award.withdrawn_at = award.withdrawn_by_id = award.withdrawal_reason = None
    db.session.flush()
    audit.record(AuditAction.TOP_MEMBER_RECOGNISED, actor=actor, company=company, year=year)
    return award


def withdraw_title(company: Company, year: int, actor: User, reason: str) -> TopMemberAward:
    """Withdraw the member's title for `year`, with the reason; the row stays on record.

    :raises DomainError: for a representative or company user, no reason, or a title not held.
    """
    _check_actor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError.on("reason", _("Say why the title is withdrawn."))
    award = award_for(company, year)
    if award is None or not award.is_standing:
        raise DomainError.on(None, _("It is not a Top Member of %(year)s.", year=year))
    award.withdrawn_at, award.withdrawn_by_id, award.withdrawal_reason = utcnow(), actor.id, reason
    db.session.flush()
    audit.record(
        AuditAction.TOP_MEMBER_ENDED, actor=actor, company=company, year=year, comment=reason
    )
    return award
