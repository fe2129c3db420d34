"""Administrators keep the representative organisations and the permission table; ECPAT staff
assign members to a representative; representatives recommend approval."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tracker.auth.decisions import permission_table
from tracker.auth.models import ECPAT_ONLY, Decision, Representative
from tracker.auth.permissions import admin_required, get_company_for_staff_or_404, staff_required
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db
from tracker.reports import queries as report_queries
from tracker.representatives import services
from tracker.representatives.forms import (
    AssignForm,
    PermissionsForm,
    RecommendForm,
    RepresentativeForm,
)

# Staff page to staff page: a refused form is shown again on the page it came from.
from tracker.review.reports.views import render_detail as render_report
from tracker.review.views import render_detail as render_company

bp = Blueprint("representatives", __name__, url_prefix="/review")


def render_index(permissions_form: PermissionsForm | None = None, status: int = 200):
    table = permission_table()
    form = permissions_form or PermissionsForm(
        data={d.value: allowed for d, allowed in table.items()}
    )
    page = render_template(
        "representatives/index.html",
        representatives=services.list_representatives(),
        permissions_form=form,
        ecpat_only=sorted(ECPAT_ONLY, key=lambda decision: list(Decision).index(decision)),
    )
    return page, status


@bp.get("/representatives")
@admin_required
def index():
    return render_index()


@bp.post("/representatives/permissions")
@admin_required
def permissions():
    form = PermissionsForm()
    if not form.validate_on_submit():
        return render_index(form, 400)
    changed = services.set_permissions(current_user, form.allowed())
    db.session.commit()
    flash(
        ngettext(
            "The permission table is saved (%(num)d changed).",
            "The permission table is saved (%(num)d changed).",
            len(changed),
        ),
        "success",
    )
    return redirect(url_for("representatives.index"))


def details_of(form: RepresentativeForm) -> services.RepresentativeDetails:
    return services.RepresentativeDetails(
        name=form.name.data or "",
        countries=tuple(form.countries.data or ()),
        website=form.website.data,
        email=form.email.data,
        phone=form.phone.data,
    )


@bp.route("/representatives/new", methods=["GET", "POST"])
@admin_required
def create():
    form = RepresentativeForm()
    if form.validate_on_submit():
        try:
            representative = services.create_representative(current_user, details_of(form))
        except DomainError as error:
            db.session.rollback()
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is added.", name=representative.name), "success")
            return redirect(url_for("representatives.index"))
    return render_template("representatives/form.html", form=form, representative=None)


def representative_or_404(representative_id: int) -> Representative:
    representative = services.get_representative(representative_id)
    if representative is None:
        abort(404)
    return representative


@bp.route("/representatives/<int:representative_id>", methods=["GET", "POST"])
@admin_required
def edit(representative_id: int):
    representative = representative_or_404(representative_id)
    form = RepresentativeForm(obj=representative, data={"countries": representative.country_codes})
    if form.validate_on_submit():
        try:
            services.update_representative(current_user, representative, details_of(form))
        except DomainError as error:
            db.session.rollback()
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is saved.", name=representative.name), "success")
            return redirect(url_for("representatives.index"))
    return render_template("representatives/form.html", form=form, representative=representative)


@bp.post("/companies/<int:company_id>/representative")
@staff_required
def assign(company_id: int):
    company = get_company_for_staff_or_404(company_id, current_user)
    form = AssignForm().set_organisations(services.list_representatives())
    if not form.validate_on_submit():
        return render_company(company, assign_form=form), 400
    chosen = services.get_representative(int(form.representative.data or 0))
    try:
        services.assign_representative(current_user, company, chosen)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            _(
                "%(company)s is supported by %(organisation)s.",
                company=company.display_name,
                organisation=chosen.name if chosen else "ECPAT",
            ),
            "success",
        )
    return redirect(url_for("review.detail", company_id=company.id))


@bp.post("/companies/<int:company_id>/recommend")
@staff_required
def recommend(company_id: int):
    company = get_company_for_staff_or_404(company_id, current_user)
    form = RecommendForm()
    if not form.validate_on_submit():  # shown again at the panel, with what was typed
        return render_company(company, recommend_form=form), 400
    return _recommend(
        form,
        lambda text: services.recommend_approval(company, current_user, text),
        url_for("review.detail", company_id=company.id),
    )


@bp.post("/reports/<int:report_id>/recommend")
@staff_required
def recommend_report(report_id: int):
    report = report_queries.report_for_staff(report_id, current_user)
    if report is None:
        abort(404)
    form = RecommendForm()
    if not form.validate_on_submit():  # shown again at the panel, with what was typed
        return render_report(report, recommend_form=form, status=400)
    return _recommend(
        form,
        lambda text: services.recommend_report_approval(report, current_user, text),
        url_for("report_review.detail", report_id=report.id),
    )


def _recommend(form: RecommendForm, record, back: str):
    """Record a validated recommendation; a rule's refusal is a message on the page."""
    try:
        record(form.comment.data)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Your recommendation is recorded for ECPAT staff."), "success")
    return redirect(back)
