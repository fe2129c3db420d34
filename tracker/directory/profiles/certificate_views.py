"""A member's printable certificate, with a QR code that points to its verify page."""

from flask import Blueprint, render_template
from flask_babel import gettext as _

from tracker.auth.permissions import company_user_required, own_company_or_404
from tracker.billing import services as billing
from tracker.companies.criteria import criteria
from tracker.qr import qr_svg
from tracker.urls import public_url

bp = Blueprint("certificates", __name__, url_prefix="/company")


@bp.get("/certificate")
@company_user_required
def detail():
    company = own_company_or_404()
    today = billing.today()
    # The membership year is the calendar year; in the grace days of January, last year's
    # (paid) one, which the certificate keeps naming.
    year = billing.current_year(company, today)
    if year is None:
        # Not a member (yet, or any more), or this year's fee not recorded: a page that says
        # why, never a certificate.
        page = render_template("directory/no_certificate.html", company=company, year=today.year)
        return page, 403
    # The configured public address, not this request's host: the code outlives the request.
    verify_url = public_url("directory.verify", number=company.membership_number)
    signature = (company.signatures or [None])[-1]
    return render_template(
        "directory/certificate.html",
        company=company,
        year=year,
        valid_until=billing.year_ends(year),
        verify_url=verify_url,
        qr=qr_svg(verify_url, _("QR code that opens %(url)s", url=verify_url)),
        # The criteria as worded in the version the company signed.
        criteria=criteria(signature.criteria_version if signature else None),
    )
