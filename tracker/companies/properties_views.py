"""A company's properties page: a long list paged and filtered, one row added or removed at a
time, a CSV imported with a preview, and the list exported.

Every save goes through `services.update_company`, so the rules, the audit and (once approved)
the review of new countries are the edit form's.
"""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tracker.auth.permissions import company_user_required, own_company_or_404
from tracker.companies import change_requests, properties, services
from tracker.companies.forms import ImportForm, PropertyForm, RemovePropertyForm
from tracker.companies.services import OperationInput
from tracker.countries import collation_key, country_name
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.paging import Page
from tracker.write_limits import limit_company_writes

bp = Blueprint("properties", __name__, url_prefix="/company")

PER_PAGE = 50
PREVIEW_ROWS = 50


def editable_company():
    company = own_company_or_404()
    if not company.may_edit:
        abort(403)  # withdrawn or expelled: the record stays as it was
    return company


@bp.get("/properties")
@company_user_required
def index():
    company = editable_company()
    form = PropertyForm(formdata=None)
    return render_list(company, form)


def render_list(company, form, status: int = 200):
    operations = properties.sorted_operations(properties.working_operations(company))
    all_count = len(operations)
    countries = sorted(
        {op.country_code for op in operations}, key=lambda code: collation_key(country_name(code))
    )
    country = request.args.get("country", "")
    if country and country in countries:
        operations = [op for op in operations if op.country_code == country]
    else:
        country = ""
    page = Page(request.args.get("page", 1, type=int), PER_PAGE, len(operations))
    if not 1 <= page.page <= page.pages:
        page = Page(1, PER_PAGE, len(operations))
    first = (page.page - 1) * PER_PAGE
    added = request.args.get("added", -1, type=int)
    return (
        render_template(
            "properties/index.html",
            company=company,
            form=form,
            rows=list(enumerate(operations[first : first + PER_PAGE], start=first)),
            added=added,
            total=len(operations),
            all_count=all_count,
            countries=countries,
            country=country,
            page=page,
            change_request=change_requests.open_request(company),
            remove_form=RemovePropertyForm(formdata=None),
        ),
        status,
    )


@bp.post("/properties")
@company_user_required
@limit_company_writes
def add():
    company = editable_company()
    form = PropertyForm()
    needs_property = company.type.has_properties
    if form.validate() and (not needs_property or form.require_property()):
        new = OperationInput(
            form.country_code.data,
            (form.property_name.data or "").strip() or None,
            (form.city.data or "").strip() or None,
        )
        current = properties.working_operations(company)
        if properties.key_of(new) in {properties.key_of(op) for op in current}:
            form.property_name.errors = [_("This property is on the list already.")]
        elif problems := save(company, [*current, new]):
            form.country_code.errors = problems
        else:
            flash(saved_message(company, _("The property is added.")), "success")
            return redirect(position_of(company, new))
    return render_list(company, form, status=400)


def position_of(company, operation: OperationInput) -> str:
    """The page of the list where `operation` now stands, anchored at its row."""
    ordered = properties.sorted_operations(properties.working_operations(company))
    keys = [properties.key_of(op) for op in ordered]
    index = keys.index(properties.key_of(operation)) if properties.key_of(operation) in keys else 0
    return url_for(
        "properties.index", page=index // PER_PAGE + 1, added=index, _anchor=f"row-{index}"
    )


@bp.post("/properties/remove")
@company_user_required
@limit_company_writes
def remove():
    company = editable_company()
    form = RemovePropertyForm()
    if not form.validate():
        abort(400)
    key = (form.country_code.data, form.property_name.data or "", form.city.data or "")
    remaining = properties.without(properties.working_operations(company), key)
    back = url_for("properties.index", page=request.args.get("page", 1, type=int))
    if remaining is None:
        flash(_("That property was removed already."), "info")
    elif problems := save(company, remaining):
        for message in problems:  # the last one cannot go: a company lists one at least
            flash(message, "error")
    else:
        flash(saved_message(company, _("The property is removed.")), "success")
    return redirect(back)


def save(company, operations: list[OperationInput]) -> list[str]:
    """Save the company with `operations`; the rules it broke, if any (then nothing is saved)."""
    try:
        services.update_company(company, services.details_of(company, operations), current_user)
    except DomainError as error:
        db.session.rollback()
        return [message for _field, message in error.errors]
    db.session.commit()
    return []


def saved_message(company, done: str) -> str:
    request_ = change_requests.open_request(company)
    if request_ is not None and request_.awaits_review and "operations" in request_.proposed:
        return _(
            "%(done)s New countries wait for ECPAT's approval; until then your listing shows "
            "the approved ones.",
            done=done,
        )
    return done


@bp.route("/properties/import", methods=["GET", "POST"])
@company_user_required
@limit_company_writes
def import_():
    company = editable_company()
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        text = form.text()
        if text is not None:
            result = properties.parse_properties(text, company.type.has_properties)
            form.rows.errors = list(result.errors)
            if result.ok and "confirm" in request.form:
                form.rows.errors = save_import(company, form, result)
                if not form.rows.errors:
                    return redirect(url_for("properties.index"))
            form.rows.data = text  # the file's text carries on to the confirming request
    return render_template(
        "properties/import.html",
        company=company,
        form=form,
        result=result,
        preview_rows=PREVIEW_ROWS,
        current_count=len(properties.working_operations(company)),
    )


def save_import(company, form: ImportForm, result) -> list[str]:
    """Save the previewed rows, added or in place of the list; the problems, if any."""
    current = properties.working_operations(company)
    replace = form.mode.data == "replace"
    operations = properties.merged(current, result.rows, replace)
    problems = save(company, operations)
    if problems:
        return problems
    if replace:
        message = ngettext(
            "The list now has %(num)d property.",
            "The list now has %(num)d properties.",
            len(operations),
        )
    else:
        added = len(operations) - len(current)
        message = ngettext("%(num)d property added.", "%(num)d properties added.", added)
    flash(saved_message(company, message), "success")
    return []


@bp.get("/properties.csv")
@company_user_required
def export():
    company = editable_company()
    operations = properties.sorted_operations(properties.working_operations(company))
    return Response(
        properties.as_csv(operations),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="properties.csv"'},
    )
