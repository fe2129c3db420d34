"""Account pages."""

from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth import bp, forms, services
from tracker.auth.models import User
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db, limiter, login_manager
from tracker.mail import send_email
from tracker.tokens import make_token, read_token

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see this page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user_pk, _, version = user_id.partition(":")
    if not user_pk.isdigit():
        return None
    user = db.session.get(User, int(user_pk))
    # A password change bumps the version, which invalidates sessions made before it.
    if user is None or str(user.session_version) != version:
        return None
    return user


def home_for(user: User) -> str:
    return url_for("review.queue") if user.is_staff else url_for("companies.dashboard")


def safe_next(target: str | None) -> str | None:
    """Only same-site paths, so a crafted link cannot send a user elsewhere after sign-in."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # urlsplit drops tabs and newlines before parsing, so check them first: "/\t/evil" is
    # "//evil" to a browser, and a newline in the Location header is a 500.
    if not target.isprintable():
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and "\\" not in target else None


def send_confirmation(user: User) -> None:
    token = make_token("confirm", {"id": user.id, "email": user.email})
    send_email(
        user.email,
        "Confirm your e-mail address",
        "confirm_email",
        user=user,
        link=url_for("auth.confirm", token=token, _external=True),
    )


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = forms.RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(form.name.data, form.email.data, form.password.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            send_confirmation(user)
            login_user(user)
            flash(
                "Welcome! We sent you an e-mail: follow its link to confirm your address.",
                "success",
            )
            return redirect(url_for("companies.dashboard"))
    return render_template("auth/register.html", form=form)


def _failed_login() -> bool:
    return bool(g.get("login_failed"))


def _login_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


def _submitted_email() -> str:
    return services.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda response: _failed_login())
@limiter.limit(
    _login_limit,
    methods=["POST"],
    key_func=_submitted_email,
    deduct_when=lambda response: _failed_login(),
)
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = forms.LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or home_for(user))
        g.login_failed = True
        form.password.errors.append("The e-mail address or password is not right.")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    if forms.EmptyForm().validate_on_submit():
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("main.index"))


@bp.get("/confirm/<token>")
def confirm(token: str):
    payload = read_token("confirm", token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload["id"]) if isinstance(payload, dict) else None
    if user is None or not services.confirm_email(user, payload.get("email")):
        flash(
            "This confirmation link is invalid or has expired. Sign in to get a new one.", "error"
        )
        return redirect(url_for("auth.login"))
    db.session.commit()
    flash("Thank you, your e-mail address is confirmed.", "success")
    # Whoever is signed in goes to their own home: the link may be another account's.
    return redirect(
        home_for(current_user) if current_user.is_authenticated else url_for("auth.login")
    )


@bp.post("/confirm/resend")
@login_required
def resend_confirmation():
    if forms.EmptyForm().validate_on_submit() and not current_user.email_confirmed:
        send_confirmation(current_user)
        flash("We sent a new confirmation link.", "info")
    return redirect(home_for(current_user))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = forms.ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None:
            token = make_token("reset", services.reset_token_payload(user))
            send_email(
                user.email,
                "Reset your password",
                "reset_password",
                user=user,
                link=url_for("auth.reset_password", token=token, _external=True),
            )
        # The same answer either way, so the form does not reveal who has an account.
        flash("If an account uses that address, we sent it a link to reset the password.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    payload = read_token("reset", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = services.user_for_reset(payload)
    if user is None:
        flash("This reset link is invalid, used or expired. Ask for a new one.", "error")
        return redirect(url_for("auth.reset_request"))
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        services.set_new_password(user, form.password.data, action="user.password_reset")
        # Following the e-mailed link proves the address too.
        services.confirm_email(user, user.email)
        db.session.commit()
        flash("Your password is changed. Sign in with the new one.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # re-issue with the new version
            flash("Your password is changed.", "success")
            return redirect(home_for(current_user))
    return render_template("auth/change_password.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation_id = read_token("invite", token, current_app.config["INVITATION_MAX_AGE"])
    invitation = services.pending_invitation(invitation_id)
    if invitation is None:
        flash(
            "This invitation is invalid, used or expired. Ask your colleague for a new one.",
            "error",
        )
        return redirect(url_for("main.index"))
    form = forms.AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(invitation, form.name.data, form.password.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(f"Welcome to {invitation.company.display_name}'s account.", "success")
            return redirect(url_for("companies.dashboard"))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)
