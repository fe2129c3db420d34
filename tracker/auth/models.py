"""Accounts: users with a role, sign-in sessions, representative organisations, invitations."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.extensions import db
from tracker.models_base import LabelledEnum, UTCDateTime, enum_column_type, utcnow


class Role(LabelledEnum):
    COMPANY = "company"
    REVIEWER = "reviewer"
    ADMIN = "admin"
    REPRESENTATIVE = "representative"

    @property
    def label(self) -> str:
        return {
            "company": _l("Company user"),
            "reviewer": _l("ECPAT reviewer"),
            "admin": _l("ECPAT administrator"),
            "representative": _l("Local Code Representative"),
        }[self.value]

    @property
    def is_staff(self) -> bool:
        return self is not Role.COMPANY

    @property
    def is_ecpat(self) -> bool:
        """ECPAT's own staff, who take the decisions representatives may not (Top Member)."""
        return self in (Role.REVIEWER, Role.ADMIN)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        # Only company users belong to a company, and only they can own one.
        CheckConstraint(
            "role = 'company' OR (company_id IS NULL AND is_owner = false)", name="staff_no_company"
        ),
        # A second factor that is on has a secret to check codes against.
        CheckConstraint(
            "two_factor_enabled_at IS NULL OR totp_secret IS NOT NULL", name="two_factor_secret"
        ),
        # Only representative accounts belong to a representative organisation.
        CheckConstraint(
            "role = 'representative' OR representative_id IS NULL", name="representative_org"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column_type(Role, "user_role"), default=Role.COMPANY)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    # The organisation a representative account works for; its countries are theirs.
    representative_id: Mapped[int | None] = mapped_column(
        ForeignKey("representatives.id"), index=True
    )
    is_owner: Mapped[bool] = mapped_column(default=False)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An administrator switched the account off: it cannot sign in and its sessions ended.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the person last chose (or registered in): e-mails to them are written in it.
    locale: Mapped[str | None] = mapped_column(String(8))
    # Second factor (tracker/auth/two_factor.py): the TOTP secret (base32), when it was turned
    # on, and the last time step whose code was accepted (a code is good once, never again).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    two_factor_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    company: Mapped["Company | None"] = relationship(back_populates="users")  # noqa: F821
    representative: Mapped["Representative | None"] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses to sign in an inactive user; sessions.load_session ends theirs."""
        return self.deactivated_at is None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # The token of the server-side session this object was loaded through (tracker.auth.sessions);
    # a plain attribute, not a column: the database keeps only the token's hash.
    session_token = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember cookies: the session's token.

        Ending the server-side session therefore revokes both cookies, copies included.
        """
        if self.session_token is None:
            raise RuntimeError("no server-side session: sign in with tracker.auth.views.sign_in")
        return self.session_token

    def __eq__(self, other: object) -> bool:
        # UserMixin compares get_id(), which is now per session: compare the row instead.
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    __hash__ = UserMixin.__hash__

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def has_two_factor(self) -> bool:
        return self.two_factor_enabled_at is not None

    @property
    def needs_two_factor(self) -> bool:
        """Staff must sign in with a second factor; others when they turned it on."""
        return self.is_staff or self.has_two_factor

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def country_codes(self) -> list[str]:
        """A representative's countries: its organisation's; nobody else is limited to some."""
        return self.representative.country_codes if self.representative is not None else []

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


class Decision(LabelledEnum):
    """A decision on a company's file; the permission table says which a representative takes.

    The first four are editable by administrators (RepresentativePermission rows); the others
    are ECPAT's own and never open to representatives (see ECPAT_ONLY).
    """

    RETURN_APPLICATION = "return_application"
    RETURN_REPORT = "return_report"
    RECOMMEND_APPROVAL = "recommend_approval"
    RETURN_PLAN = "return_plan"
    APPROVE_APPLICATION = "approve_application"
    REJECT_APPLICATION = "reject_application"
    ACCEPT_REPORT = "accept_report"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    EXPEL = "expel"
    WAIVE_FEES = "waive_fees"
    APPROVE_PLAN = "approve_plan"
    TOP_MEMBER = "top_member"
    GRANT_EXTENSION = "grant_extension"
    ASSIGN_REPRESENTATIVE = "assign_representative"

    @property
    def label(self) -> str:
        return {
            "return_application": _l("Return an application with comments"),
            "return_report": _l("Return a report with comments"),
            "recommend_approval": _l("Recommend approval of an application or report"),
            "return_plan": _l("Return an implementation plan with comments"),
            "approve_application": _l("Approve an application"),
            "reject_application": _l("Reject an application"),
            "accept_report": _l("Accept a report"),
            "suspend": _l("Suspend a membership"),
            "reinstate": _l("Reinstate a membership"),
            "expel": _l("Expel a member"),
            "waive_fees": _l("Waive fees"),
            "approve_plan": _l("Approve an implementation plan"),
            "top_member": _l("Name a Top Member"),
            "grant_extension": _l("Grant a later report due date"),
            "assign_representative": _l("Assign a member to a representative"),
        }[self.value]

    @property
    def is_editable(self) -> bool:
        """Whether administrators may open this decision to representatives."""
        return self not in ECPAT_ONLY


# ECPAT staff decide these; a representative supports and recommends (issue 15 item 11).
ECPAT_ONLY = frozenset(
    {
        Decision.APPROVE_APPLICATION,
        Decision.REJECT_APPLICATION,
        Decision.ACCEPT_REPORT,
        Decision.SUSPEND,
        Decision.REINSTATE,
        Decision.EXPEL,
        Decision.WAIVE_FEES,
        Decision.APPROVE_PLAN,
        Decision.TOP_MEMBER,
        Decision.GRANT_EXTENSION,
        Decision.ASSIGN_REPRESENTATIVE,
    }
)
# What a new table allows representatives: the supporting decisions, all of them.
DEFAULT_PERMISSIONS = {decision: True for decision in Decision if decision.is_editable}


class Representative(db.Model):
    """A Local Code Representative: an organisation supporting members in its countries."""

    __tablename__ = "representatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    website: Mapped[str | None] = mapped_column(String(255))
    # The public contact shown on country pages and members' profiles.
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    countries: Mapped[list["RepresentativeCountry"]] = relationship(
        back_populates="representative",
        cascade="all, delete-orphan",
        order_by="RepresentativeCountry.country_code",
    )
    users: Mapped[list[User]] = relationship(back_populates="representative", order_by="User.email")

    @property
    def country_codes(self) -> list[str]:
        return [row.country_code for row in self.countries]

    def __repr__(self) -> str:
        return f"<Representative {self.name}>"


class RepresentativeCountry(db.Model):
    """A country a representative organisation covers."""

    __tablename__ = "representative_countries"
    __table_args__ = (
        UniqueConstraint("representative_id", "country_code", name="uq_representative_country"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    representative_id: Mapped[int] = mapped_column(
        ForeignKey("representatives.id", ondelete="CASCADE")
    )
    country_code: Mapped[str] = mapped_column(String(2), index=True)

    representative: Mapped[Representative] = relationship(back_populates="countries")


class RepresentativePermission(db.Model):
    """Whether representatives may take one editable decision; one row per Decision."""

    __tablename__ = "representative_permissions"

    decision: Mapped[Decision] = mapped_column(
        enum_column_type(Decision, "representative_decision"), primary_key=True
    )
    allowed: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class EmailedLink:
    """A row that an e-mailed link opens: the link carries a random token, the row its SHA-256.

    The token is single-use and dies when the row is accepted, cancelled, sent again (a new
    token replaces the hash) or older than INVITATION_MAX_AGE; tracker.auth.invitations reads
    and claims such rows.
    """

    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # When the present token was sent; NULL token_hash (rows from before tokens) opens nothing.
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The raw token, only on the object that issued it (for its e-mail); never stored.
    token = None

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None


class Invitation(EmailedLink, db.Model):
    """An owner's invitation for a colleague to join the company's account."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    company: Mapped["Company"] = relationship()  # noqa: F821
    invited_by: Mapped[User] = relationship()


class StaffInvitation(EmailedLink, db.Model):
    """An administrator's invitation for a new staff member, with the role and countries."""

    __tablename__ = "staff_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[Role] = mapped_column(enum_column_type(Role, "staff_invitation_role"))
    # Representatives join an organisation, whose countries they then cover.
    representative_id: Mapped[int | None] = mapped_column(ForeignKey("representatives.id"))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invited_by: Mapped[User] = relationship()
    representative: Mapped[Representative | None] = relationship()


class OwnershipOffer(EmailedLink, db.Model):
    """An owner's offer to hand the company to a colleague, who accepts through a link.

    It holds only while `offered_by` still owns the company: it is cancelled when ownership
    passes to anyone, and the owner may withdraw it.
    """

    __tablename__ = "ownership_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    offered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    offered_to_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    company: Mapped["Company"] = relationship()  # noqa: F821
    offered_by: Mapped[User] = relationship(foreign_keys=[offered_by_id])
    offered_to: Mapped[User] = relationship(foreign_keys=[offered_to_id])


class AuthSession(db.Model):
    """A signed-in browser, whose cookie holds a random token.

    Only the token's SHA-256 is stored, so a copy of this table cannot be replayed as a cookie.
    """

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "Keep me signed in": a longer idle timeout and lifetime, for company users only.
    remembered: Mapped[bool] = mapped_column(default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A single-use code that stands in for the second factor when the phone is lost.

    The codes are random (80 bits), so their SHA-256 is stored: a copy of this table gives
    nothing to type in.
    """

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
