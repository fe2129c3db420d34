"""Role decorators and the load-and-authorise helper for company records."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, exists, false, select

from tracker.auth.models import Role, StaffCountry, User
from tracker.companies.models import Company, Operation
from tracker.extensions import db
from tracker.models_base import MAX_ID  # ids in a URL above this overflow the database driver


def roles_required(*roles: Role) -> Callable:
    """Require a signed-in user with one of `roles`; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = roles_required(Role.REVIEWER, Role.ADMIN, Role.REPRESENTATIVE)
admin_required = roles_required(Role.ADMIN)
company_user_required = roles_required(Role.COMPANY)


def scope_to_staff(query: Select, user: User) -> Select:
    """Limit a select of companies to those a staff member may see.

    Representatives see a company when one of its operations lies in one of their countries;
    anyone who is not staff sees none, whatever view the query came through.
    """
    if not user.is_staff:
        return query.where(false())
    if user.role is not Role.REPRESENTATIVE:
        return query
    in_their_countries = exists().where(
        Operation.company_id == Company.id,
        Operation.country_code.in_(
            select(StaffCountry.country_code).where(StaffCountry.user_id == user.id)
        ),
    )
    return query.where(in_their_countries)


def can_see_company(user: User, company: Company) -> bool:
    if user.role is not Role.REPRESENTATIVE:
        return user.is_staff
    return bool(set(user.country_codes) & set(company.country_codes))


def get_company_for_staff_or_404(company_id: int, user: User) -> Company:
    """Load a company the staff user may see.

    :raises NotFound: if it does not exist or lies outside a representative's countries, so that
        its existence is not revealed either.
    """
    if not 0 < company_id <= MAX_ID:
        abort(404)
    company = db.session.scalar(
        scope_to_staff(select(Company).where(Company.id == company_id), user)
    )
    if company is None:
        abort(404)
    return company


def own_company_or_404() -> Company:
    """The signed-in company user's own company; company routes never take an id from the URL."""
    if current_user.company is None:
        abort(404)
    return current_user.company
