"""Second-factor pages: the code after the password, setting it up, and turning it on or off."""

from collections.abc import Callable

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.auth import two_factor, two_factor_state
from tracker.auth.forms import EmptyForm
from tracker.auth.models import User
from tracker.auth.two_factor_forms import CodeForm, ConfirmForm, SetupForm, SignedInSetupForm
from tracker.auth.views import home_for, sign_in
from tracker.client_address import client_key
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db, limiter
from tracker.qr import qr_svg
from tracker.urls import same_site_path

bp = Blueprint("two_factor", __name__, url_prefix="/account/two-factor")

# What a signed-in member of staff without a second factor may still open: setting it up.
OPEN_WITHOUT_SECOND_FACTOR = {"static", "two_factor.setup", "auth.logout"}


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _account_key() -> str:
    # The account the code is for: the half-signed-in one, else the signed-in one.
    user_id = two_factor_state.pending_user_id()
    if user_id is None and current_user.is_authenticated:
        user_id = current_user.id
    return f"two-factor:{user_id}"


def _failed(response) -> bool:
    return bool(g.get("two_factor_failed"))


# Wrong codes count against the account and the client address; right ones never count.
_per_account = limiter.limit(
    _setting("TWO_FACTOR_LIMIT_PER_ACCOUNT"),
    methods=["POST"],
    key_func=_account_key,
    deduct_when=_failed,
)
_per_address = limiter.limit(
    _setting("TWO_FACTOR_LIMIT_PER_ADDRESS"),
    methods=["POST"],
    key_func=lambda: f"two-factor-address:{client_key()}",
    deduct_when=_failed,
)


def limit_codes(view: Callable) -> Callable:
    return _per_address(_per_account(view))


def _wrong(form, field: str = "code") -> None:
    g.two_factor_failed = True
    getattr(form, field).errors.append(_("This code is not right, or it was already used."))


@bp.before_app_request
def require_second_factor():
    """Signed-in staff without a second factor (a new colleague who just joined, say) can open
    nothing but its setup until they have one."""
    if request.endpoint in OPEN_WITHOUT_SECOND_FACTOR or not current_user.is_authenticated:
        return None
    if current_user.is_staff and not current_user.has_two_factor:
        return redirect(url_for("two_factor.setup"))
    return None


def complete_sign_in(user: User):
    """The second factor is given: sign in for real, in a fresh session; the caller commits."""
    remember, next_url = two_factor_state.finish()
    sign_in(user, remember)
    return same_site_path(next_url) or home_for(user)


@bp.route("/", methods=["GET", "POST"])
@limit_codes
def verify():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    user = two_factor_state.pending_user()
    if user is None:
        two_factor_state.cancel()  # expired, or the password changed: start again
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    if not user.has_two_factor:
        return redirect(url_for("two_factor.setup"))
    form = CodeForm()
    if form.validate_on_submit():
        code = form.code.data
        if two_factor.check_code(user, code) or two_factor.use_recovery_code(user, code):
            target = complete_sign_in(user)
            db.session.commit()
            return redirect(target)
        db.session.rollback()
        _wrong(form)
    return render_template("auth/two_factor_verify.html", form=form, cancel_form=EmptyForm())


@bp.post("/cancel")
def cancel():
    if EmptyForm().validate_on_submit():
        two_factor_state.cancel()
    return redirect(url_for("auth.login"))


def _setup_user() -> User | None:
    """Who may set up a second factor here: the half-signed-in account, else the signed-in
    one, as long as it has none yet."""
    user = two_factor_state.pending_user()
    if user is None and current_user.is_authenticated:
        user = current_user._get_current_object()
    return user if user is not None and not user.has_two_factor else None


@bp.route("/setup", methods=["GET", "POST"])
@limit_codes
def setup():
    user = _setup_user()
    if user is None:
        if current_user.is_authenticated:
            return redirect(url_for("two_factor.settings"))
        return redirect(url_for("auth.login"))
    secret = two_factor_state.setup_secret(user, two_factor.new_secret)
    signed_in = current_user.is_authenticated
    form = SignedInSetupForm() if signed_in else SetupForm()
    if form.validate_on_submit():
        try:
            if signed_in and not user.check_password(form.current_password.data):
                raise DomainError.on("current_password", _("This is not your current password."))
            codes = two_factor.enable(user, secret, form.code.data)
        except DomainError as error:
            db.session.rollback()
            g.two_factor_failed = True
            populate_errors(form, error)
        else:
            return _finish_setup(user, codes)
    uri = two_factor.provisioning_uri(user, secret)
    qr = qr_svg(uri, _("QR code for your authenticator app"))
    return render_template(
        "auth/two_factor_setup.html", form=form, secret=secret, qr=qr, staff=user.is_staff
    )


def _finish_setup(user: User, codes: list[str]):
    """Sign in if this was the sign-in's setup step; show the recovery codes, this once."""
    if current_user.is_authenticated:
        two_factor_state.drop_setup_secret()
        target = url_for("two_factor.settings")
    else:
        target = complete_sign_in(user)
    db.session.commit()
    flash(_("Two-step sign-in is on."), "success")
    return render_template("auth/two_factor_codes.html", codes=codes, target=target)


@bp.get("/settings")
@login_required
def settings():
    return render_template(
        "auth/two_factor_settings.html", confirm_form=ConfirmForm(), user=current_user
    )


@bp.post("/disable")
@login_required
@limit_codes
def disable():
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("auth/two_factor_settings.html", confirm_form=form), 400
    try:
        two_factor.disable(current_user._get_current_object(), form.code.data)
    except DomainError as error:
        db.session.rollback()
        g.two_factor_failed = True
        populate_errors(form, error)
        return render_template("auth/two_factor_settings.html", confirm_form=form), 400
    db.session.commit()
    flash(_("Two-step sign-in is off."), "success")
    return redirect(url_for("two_factor.settings"))


@bp.post("/recovery-codes")
@login_required
@limit_codes
def renew_codes():
    form = ConfirmForm()
    user = current_user._get_current_object()
    if form.validate_on_submit() and user.has_two_factor:
        if two_factor.check_code(user, form.code.data):
            codes = two_factor.renew_recovery_codes(user)
            db.session.commit()
            target = url_for("two_factor.settings")
            return render_template("auth/two_factor_codes.html", codes=codes, target=target)
        db.session.rollback()
        _wrong(form)
    return render_template("auth/two_factor_settings.html", confirm_form=form), 400
