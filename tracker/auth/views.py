"""Account pages."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import IntegrityError

from tracker.auth import (
    emails,
    forms,
    invitations,
    login_limits,
    services,
    sessions,
    two_factor_state,
)
from tracker.auth.models import User
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db, login_manager
from tracker.mail_limits import limit_mail_per_address, recipient_allowed
from tracker.tokens import is_id, is_text, read_dict_token
from tracker.urls import same_site_path

bp = Blueprint("auth", __name__, url_prefix="/account")

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"

ALREADY_USED = _l("This invitation has already been used. Sign in with the account it made.")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # Flask-Login's "user id" is the server-side session's token (User.get_id); a revoked,
    # expired or unknown one means no one is signed in.
    return sessions.load_session(user_id)


@bp.before_app_request
def check_session() -> None:
    """Validate the session before any view runs; note its activity at most once a minute."""
    if request.endpoint == "static":
        return
    if not current_user.is_authenticated:
        if "_user_id" in session:
            logout_user()  # the session ended on the server: drop its cookies as well
        return
    if sessions.touch(current_user.session_token):
        # Its own commit, before the view has changed anything, so a view that fails or rolls
        # back never loses it and the view's single commit never carries it.
        db.session.commit()


def sign_in(user: User, remember: bool = False) -> None:
    """Start a server-side session and put its token in the cookies; the caller commits.

    Staff are never remembered: their sessions end when the browser closes, or sooner.
    """
    remember = remember and not user.is_staff
    sessions.start_session(user, remember)
    login_user(user, remember=remember)
    # A new CSRF token: one planted in the browser before sign-in (login CSRF, a shared
    # computer) must not stay valid for the signed-in account's forms.
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    generate_csrf()  # now, so the first page after sign-in is like any other (page_cache)


def home_for(user: User) -> str:
    return url_for("review.queue") if user.is_staff else url_for("dashboard.index")


@bp.route("/register", methods=["GET", "POST"])
@limit_mail_per_address
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = forms.RegisterForm()
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        if recipient_allowed(email):
            register_or_notify(form.name.data, email, form.password.data)
        # The same answer whether the address is new, taken or has had enough mail.
        flash(
            _(
                "Check your inbox: we sent a message to %(email)s. Open its link to confirm "
                "your address, then sign in.",
                email=email,
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


def register_or_notify(name: str, email: str, password: str) -> None:
    """Create the account and queue its confirmation, or tell the owner of a taken address."""
    try:
        user = services.register_user(name, email, password, locale=str(get_locale()))
    except IntegrityError:  # a parallel request registered the address after our look-up
        db.session.rollback()
        user = None
    if user is not None:
        emails.queue_confirmation(user)
    else:
        emails.queue_registration_attempt(email)
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
@login_limits.limit_login
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    if request.method == "GET" and two_factor_state.pending_user() is not None:
        return redirect(url_for("two_factor.verify"))  # the password is given: now the code
    form = forms.LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            response = redirect(after_password(user, form.remember.data))
            login_limits.mark_device(response, user)
            return response
        login_limits.count_failure()
        form.password.errors.append(_("The e-mail address or password is not right."))
    return render_template("auth/login.html", form=form)


def after_password(user: User, remember: bool) -> str:
    """Sign in, or, for an account with a second factor (all staff), go on to the code (or to
    set one up) without being signed in yet. Returns where to go next."""
    next_url = same_site_path(request.args.get("next"))
    if user.needs_two_factor:
        two_factor_state.begin(user, remember, next_url)
        return url_for("two_factor.verify" if user.has_two_factor else "two_factor.setup")
    sign_in(user, remember=remember)
    db.session.commit()
    return next_url or home_for(user)


@bp.post("/logout")
def logout():
    if forms.EmptyForm().validate_on_submit():
        if current_user.is_authenticated:
            sessions.end_session(current_user.session_token)
            db.session.commit()
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


CONFIRM_TOKEN_SHAPE = {"id": is_id, "email": is_text}


@bp.get("/confirm/<token>")
def confirm(token: str):
    max_age = current_app.config["CONFIRM_TOKEN_MAX_AGE"]
    payload = read_dict_token("confirm", token, max_age, CONFIRM_TOKEN_SHAPE)
    user = db.session.get(User, payload["id"]) if payload is not None else None
    if user is None or not services.confirm_email(user, payload["email"]):
        flash(
            _("This confirmation link is invalid or has expired. Sign in to get a new one."),
            "error",
        )
        return redirect(url_for("auth.login"))
    db.session.commit()
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    # Whoever is signed in goes to their own home: the link may be another account's.
    return redirect(
        home_for(current_user) if current_user.is_authenticated else url_for("auth.login")
    )


@bp.post("/confirm/resend")
@login_required
@limit_mail_per_address
def resend_confirmation():
    if forms.EmptyForm().validate_on_submit() and not current_user.email_confirmed:
        if recipient_allowed(current_user.email):
            emails.queue_confirmation(current_user)
            db.session.commit()
        flash(_("We sent a new confirmation link."), "info")
    return redirect(home_for(current_user))


@bp.route("/reset", methods=["GET", "POST"])
@limit_mail_per_address
def reset_request():
    form = forms.ResetRequestForm()
    if form.validate_on_submit():
        # The same work for every address: whether it has an account is decided at delivery.
        email = services.normalise_email(form.email.data)
        if recipient_allowed(email):
            emails.queue_password_reset(email)
            db.session.commit()
        flash(
            _("If an account uses that address, we sent it a link to reset the password."), "info"
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    max_age = current_app.config["RESET_TOKEN_MAX_AGE"]
    payload = read_dict_token("reset", token, max_age, services.RESET_TOKEN_SHAPE)
    user = services.user_for_reset(payload)
    if user is None:
        flash(_("This reset link is invalid, used or expired. Ask for a new one."), "error")
        return redirect(url_for("auth.reset_request"))
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        # Signs out every session of the account: whoever else was in no longer is.
        services.set_new_password(user, form.password.data, action="user.password_reset")
        # Following the e-mailed link proves the address too.
        services.confirm_email(user, user.email)
        db.session.commit()
        flash(_("Your password is changed. Sign in with the new one."), "success")
        response = redirect(url_for("auth.login"))
        login_limits.mark_device(response, user)  # it proved to be the owner's browser
        return response
    return render_template("auth/reset_password.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        remembered = sessions.is_remembered(user.session_token)
        try:
            # Every session ends, this one too: this browser gets a new token below, so a copy
            # of its old cookie is as dead as the others.
            services.change_password(
                user, form.current_password.data, form.password.data, keep_session=None
            )
        except DomainError as error:
            populate_errors(form, error)
        else:
            sign_in(user, remembered)
            db.session.commit()
            flash(_("Your password is changed."), "success")
            return redirect(home_for(current_user))
    return render_template("auth/change_password.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = invitations.pending_invitation(token)
    if invitation is None:
        flash(
            _("This invitation is invalid, used or expired. Ask your colleague for a new one."),
            "error",
        )
        return redirect(url_for("main.index"))
    form = forms.AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(invitation, form.name.data, form.password.data)
            sign_in(user)
            db.session.commit()
        except (DomainError, IntegrityError) as error:
            # Used meanwhile (perhaps by a parallel request) or the address has an account.
            db.session.rollback()
            message = str(error) if isinstance(error, DomainError) else ALREADY_USED
            flash(message, "error")
            return redirect(url_for("auth.login"))
        flash(
            _(
                "Welcome! You have joined %(company)s on The Code.",
                company=invitation.company.display_name,
            ),
            "success",
        )
        return redirect(url_for("dashboard.index"))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)
