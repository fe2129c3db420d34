"""The owner's publication settings: what the public sees of the company (properties, legal
name), within ECPAT's rules."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.permissions import company_user_required, own_company_or_404
from tracker.companies.forms import PublicationForm
from tracker.companies.publication_choices import (
    PublicationChoices,
    choices_of,
    choose_publication,
)
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db
from tracker.write_limits import limit_company_writes

bp = Blueprint("publication", __name__, url_prefix="/company")


def owned_company():
    company = own_company_or_404()
    if not current_user.is_owner or not company.may_edit:
        abort(403)
    return company


@bp.get("/publication")
@company_user_required
def edit():
    company = owned_company()
    form = PublicationForm(data=vars(choices_of(company)))
    return render_template("companies/publication.html", form=form, company=company)


@bp.post("/publication")
@company_user_required
@limit_company_writes
def update():
    company = owned_company()
    form = PublicationForm()
    if form.validate():
        choices = PublicationChoices(
            publish_properties=form.publish_properties.data,
            publish_legal_name=form.publish_legal_name.data,
        )
        try:
            changed = choose_publication(company, current_user, choices)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            message = _("Your choices are saved.") if changed else _("Nothing changed.")
            flash(message, "success")
            return redirect(url_for("dashboard.index"))
    return render_template("companies/publication.html", form=form, company=company), 400
