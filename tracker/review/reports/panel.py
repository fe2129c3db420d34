"""What the staff page of a company shows about its reporting, for tracker/review."""

from tracker.reports import recognition, services
from tracker.review.reports.forms import ExtensionForm


def staff_panel(company, user, extension_form=None) -> dict:
    """The reporting part of a company's staff page: standing, reports, extension, Top Member
    titles."""
    on = services.today()
    standing = services.standing_for(company, on)
    if extension_form is None:
        # Empty, not read from the request: when another form of the page failed, what it
        # posted (a "reason" too) is not this form's.
        extension_form = ExtensionForm(formdata=None)
        if standing is not None and standing.year is not None:
            extension_form.year.data = standing.year
    return {
        "reporting_standing": standing,
        "company_reports": services.reports_of(company) if company.has_membership else [],
        "extension_form": extension_form,
        "top_member_year": recognition.latest_title(company),
        "top_member_awards": recognition.titles_of(company) if company.has_membership else [],
    }
