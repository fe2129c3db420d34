"""A member's reporting standing in one sentence, for its dashboard, its reports page and the
staff's page of the member. One place for the wording, chosen by the standing's kind."""

from flask_babel import format_date, gettext, ngettext

from tracker.reports.standing import ReportingStanding, Standing


def standing_sentence(standing: Standing) -> str:
    year, due = standing.year, format_date(standing.due, "long")
    normal = format_date(standing.extended_from, "long") if standing.extended_from else None
    kind = standing.kind
    if kind is ReportingStanding.OVERDUE and normal:
        return ngettext(
            "The %(year)s report was due on %(date)s, extended from %(normal)s: "
            "%(num)d day overdue.",
            "The %(year)s report was due on %(date)s, extended from %(normal)s: "
            "%(num)d days overdue.",
            standing.days_overdue,
            year=year,
            date=due,
            normal=normal,
        )
    if kind is ReportingStanding.OVERDUE:
        return ngettext(
            "The %(year)s report was due on %(date)s: %(num)d day overdue.",
            "The %(year)s report was due on %(date)s: %(num)d days overdue.",
            standing.days_overdue,
            year=year,
            date=due,
        )
    if kind is ReportingStanding.EXTENDED:
        return gettext(
            "ECPAT extended the %(year)s report: due %(date)s, extended from %(normal)s.",
            year=year,
            date=due,
            normal=normal,
        )
    if kind is ReportingStanding.DUE:
        return gettext("The %(year)s report is due on %(date)s.", year=year, date=due)
    if kind is ReportingStanding.UNDER_REVIEW:
        return gettext("ECPAT is reviewing the %(year)s report.", year=year)
    return gettext("The next report, for %(year)s, is due on %(date)s.", year=year, date=due)
