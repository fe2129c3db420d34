"""Top Member: staff recognise a member whose latest report is accepted and shows all six
criteria implemented; the recognition lasts only while both stay true.

Recognition is a staff decision (stored, with its date); qualifying is derived from the reports.
A recognised member who stops qualifying is not shown as a Top Member from that moment, and the
daily `send-reminders` run ends the recognition on record (audited), so it never resumes by
itself: staff recognise the member again once it qualifies again.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, or_, select

from tracker import audit
from tracker.audit import AuditAction
from tracker.auth.models import Decision, User
from tracker.companies.lifecycle import Party, is_party
from tracker.companies.models import Company, Membership, Stage, Standing
from tracker.decisions import may_decide
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.reports import services
from tracker.reports.content import training_totals
from tracker.reports.models import Report, ReportState, TrainingRow
from tracker.reports.standing import ReportingStanding
from tracker.reports.standing_query import thresholds


def criteria_met(content: dict) -> dict[int, bool]:
    """Criterion number (1-5) -> whether a report's answers show it implemented. The sixth,
    reporting every year, is met by the report being accepted at all."""
    employees, trained = training_totals(content.get("training", []))
    return {
        1: content.get("policy_adopted") is True,
        2: trained > 0,
        3: (content.get("contracts_with_clause") or 0) > 0,
        4: bool(content.get("traveller_channels")),
        5: bool(content.get("stakeholder_organisations") or content.get("stakeholder_activities")),
    }


def unmet_criteria(content: dict) -> list[str]:
    """The criteria an accepted report's answers do not show as implemented, by name."""
    names = {
        1: _("Policy"),
        2: _("Staff training"),
        3: _("Contracts"),
        4: _("Information for travellers"),
        5: _("Stakeholders"),
    }
    return [names[number] for number, met in criteria_met(content).items() if not met]


def reasons_not_qualifying(company: Company, on: date) -> list[str]:
    """Why the member is not (or no longer) a Top Member; empty when it qualifies."""
    standing = services.standing_for(company, on)
    if standing is None:
        return [_("Only members can be Top Members.")]
    if company.stage is not Stage.ACTIVE:
        return [_("Its membership is suspended.")]
    ended = services.reporting_calendar().ended_years(services.joined_on(company), on)
    latest = services.report_for(company, ended[-1].year) if ended else None
    if latest is None or latest.state is not ReportState.ACCEPTED:
        return [_("Its latest report is not accepted.")]
    if standing.kind is not ReportingStanding.GOOD:
        return [_("It is not in good standing.")]
    unmet = unmet_criteria(latest.latest_submission.content)
    if unmet:
        return [_("Not implemented: %(criteria)s.", criteria=", ".join(unmet))]
    return []


def is_top_member(company: Company, on: date) -> bool:
    """Recognised and still qualifying: what staff and the public see. `top_member(on)` is its
    SQL twin (the directory's lists and filter); the tests hold them to each other."""
    membership = company.membership
    return (
        membership is not None
        and membership.top_member_since is not None
        and not reasons_not_qualifying(company, on)
    )


def _filled(column) -> ColumnElement[bool]:
    return and_(column.is_not(None), column != "")


def _criteria_implemented() -> ColumnElement[bool]:
    """On Report: `criteria_met` all true. An accepted report's answers are its last
    submission's (it is locked from submission on), so its columns can be read."""
    trained = select(TrainingRow.id).where(
        TrainingRow.report_id == Report.id,
        TrainingRow.employees.is_not(None),
        TrainingRow.trained > 0,
    )
    return and_(
        Report.policy_adopted.is_(True),
        func.coalesce(Report.contracts_with_clause, 0) > 0,
        func.coalesce(func.json_array_length(Report.traveller_channels), 0) > 0,
        or_(_filled(Report.stakeholder_organisations), _filled(Report.stakeholder_activities)),
        trained.exists(),
    )


def top_member(on: date) -> ColumnElement[bool]:
    """On Membership (joined to nothing else): `is_top_member` on `on`, in SQL. Qualifying:
    every report due so far handed in, and the last ended year's accepted with all criteria
    implemented (which is good standing: nothing owed, nothing waiting for a decision)."""
    last_ended, _passed = thresholds(on)
    latest_accepted = select(Report.id).where(
        Report.company_id == Membership.company_id,
        Report.year == last_ended,
        Report.state == ReportState.ACCEPTED,
        _criteria_implemented(),
    )
    return and_(
        Membership.top_member_since.is_not(None),
        Membership.standing == Standing.ACTIVE,
        Membership.first_unreported_year > last_ended,
        latest_accepted.exists(),
    )


def recognise(company: Company, staff: User, on: date) -> None:
    """:raises DomainError: for staff who may not see the company, a member already recognised,
    or one that does not qualify (the message says why)."""
    _check_staff(staff, company)
    if company.membership is not None and company.membership.top_member_since is not None:
        raise DomainError.on(None, _("This member is already recognised."))
    reasons = reasons_not_qualifying(company, on)
    if reasons:
        raise DomainError.on(None, " ".join(reasons))
    company.membership.top_member_since = utcnow()
    db.session.flush()
    audit.record(AuditAction.TOP_MEMBER_RECOGNISED, actor=staff, company=company)


def _check_staff(staff: User, company: Company) -> None:
    if not is_party(Party.STAFF, staff, company):
        raise DomainError.on(None, _("Only staff who may see the company may do this."))
    if not may_decide(staff, Decision.TOP_MEMBER):
        raise DomainError.on(None, _("Only ECPAT staff may take this decision."))


def end_recognition(company: Company, actor: User | None, reason: str) -> None:
    """End the recognition on record; `actor` None when the daily run finds it lapsed.

    :raises DomainError: for a member not recognised, or staff who may not see it.
    """
    if actor is not None:
        _check_staff(actor, company)
    membership = company.membership
    if membership is None or membership.top_member_since is None:
        raise DomainError.on(None, _("This member is not recognised as a Top Member."))
    membership.top_member_since = None
    db.session.flush()
    audit.record(AuditAction.TOP_MEMBER_ENDED, actor=actor, company=company, comment=reason)


def lapse_recognitions(on: date) -> int:
    """End every recognition whose member no longer qualifies; returns how many ended."""
    query = select(Company).join(Membership).where(Membership.top_member_since.is_not(None))
    ended = 0
    for company in db.session.scalars(query).all():
        reasons = reasons_not_qualifying(company, on)
        if reasons:
            end_recognition(company, None, " ".join(reasons))
            ended += 1
    db.session.commit()
    return ended
