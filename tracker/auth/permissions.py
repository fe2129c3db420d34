"""Role decorators and the load-and-authorise helper for company records."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from tracker.auth.models import Role, User
from tracker.companies import queries
from tracker.companies.models import Company
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
ecpat_staff_required = roles_required(Role.REVIEWER, Role.ADMIN)  # not representatives
company_user_required = roles_required(Role.COMPANY)


def get_company_for_staff_or_404(company_id: int, user: User) -> Company:
    """Load a company the staff user may see.

    :raises NotFound: if it does not exist or lies outside a representative's countries, so that
        its existence is not revealed either.
    """
    if not 0 < company_id <= MAX_ID:
        abort(404)
    company = db.session.scalar(queries.companies_visible_to(user).where(Company.id == company_id))
    if company is None:
        abort(404)
    return company


def own_company_or_404() -> Company:
    """The signed-in company user's own company; company routes never take an id from the URL."""
    if current_user.company is None:
        abort(404)
    return current_user.company
