"""E-mail asking members to sign a new version of the criteria: once per member and version,
one reminder after CRITERIA_RESIGN_REMINDER_DAYS, in the owner's language, audited; and the
SQL twin of `Company.must_sign_again` that picks the members."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.companies.test_criteria_versions import signed
from tests.factories import CompanyFactory, owner_of
from tests.reports.helpers import member
from tracker.audit import AuditAction, AuditEntry
from tracker.companies import criteria_notices, queries
from tracker.companies.criteria import changes
from tracker.companies.criteria_notices import NOTICE, REMINDER, queue_notices
from tracker.companies.enums import Stage, Standing
from tracker.companies.models import Company
from tracker.companies.signatures import CriteriaNotice
from tracker.extensions import db
from tracker.outbox import OutboxMessage

T0 = datetime(2026, 12, 7, 6, tzinfo=UTC)
VOLUNTOURISM = (
    "Establish a policy and procedures against sexual exploitation of children, including the "
    "regulation of voluntourism."
)


@pytest.fixture
def on_version_1():
    """An active member whose owner signed version 1 (version 2 is in force in the tests)."""
    company, owner = member(display_name="Lotus Tours", countries=("TH",))
    signed(company, owner, "1")
    return company, owner


def sent_to(email: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.recipient == email)
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def counts(**values) -> dict[str, int]:
    return {NOTICE: 0, REMINDER: 0} | values


def test_a_member_on_an_older_version_is_e_mailed_once(on_version_1):
    company, owner = on_version_1
    assert queue_notices(T0) == counts(notice=1)
    [message] = sent_to(owner.email)
    assert message.subject == "The Code's criteria have changed: please sign version 2"
    assert "ECPAT has published version 2, and your company signed version 1." in message.body
    assert f"1. Policy and procedures: {VOLUNTOURISM}" in message.body
    assert "2. Training" not in message.body  # unchanged criteria are not repeated
    assert "https://tracker.test/company/sign" in message.body
    assert "A reminder" not in message.body
    notice = db.session.scalar(select(CriteriaNotice))
    assert (notice.company_id, notice.criteria_version, notice.sent_at) == (company.id, "2", T0)
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.CRITERIA_NOTICE_SENT.value)
    )
    assert (entry.company_id, entry.actor_id) == (company.id, None)
    assert entry.details == {"criteria_version": "2", "signed_version": "1"}
    assert queue_notices(T0 + timedelta(days=1)) == counts()  # never twice
    assert len(sent_to(owner.email)) == 1


def test_one_reminder_after_the_configured_days_if_still_unsigned(on_version_1, app, monkeypatch):
    _company, owner = on_version_1
    monkeypatch.setitem(app.config, "CRITERIA_RESIGN_REMINDER_DAYS", 10)
    queue_notices(T0)
    assert queue_notices(T0 + timedelta(days=9, hours=23)) == counts()
    assert queue_notices(T0 + timedelta(days=10)) == counts(reminder=1)
    assert queue_notices(T0 + timedelta(days=40)) == counts()  # one reminder only
    first, reminder = sent_to(owner.email)
    assert reminder.subject == "Reminder: please sign version 2 of The Code's criteria"
    assert "A reminder: Lotus Tours has not yet signed version 2" in reminder.body
    assert "https://tracker.test/company/sign" in reminder.body
    assert db.session.scalar(select(CriteriaNotice.reminded_at)) == T0 + timedelta(days=10)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["company.criteria_notice_sent", "company.criteria_reminder_sent"]


def test_the_default_reminder_comes_after_30_days(on_version_1):
    queue_notices(T0)
    assert queue_notices(T0 + timedelta(days=29)) == counts()
    assert queue_notices(T0 + timedelta(days=30)) == counts(reminder=1)


def test_no_reminder_once_the_member_has_signed(on_version_1):
    company, owner = on_version_1
    queue_notices(T0)
    signed(company, owner, "2", on=T0 + timedelta(days=2))
    assert queue_notices(T0 + timedelta(days=31)) == counts()
    assert len(sent_to(owner.email)) == 1


def test_none_for_members_on_the_version_in_force_or_non_members(on_version_1):
    current, owner = member(countries=("TH",))
    signed(current, owner, "2")
    never_signed, unsigned_owner = member(countries=("TH",))  # no signature on record
    for standing in (Standing.SUSPENDED, Standing.WITHDRAWN, Standing.EXPELLED):
        former, former_owner = member(countries=("TH",))
        signed(former, former_owner, "1")
        former.membership.standing = standing
    applicant = CompanyFactory(stage=Stage.APPROVED)
    owner_of(applicant)
    db.session.commit()
    assert queue_notices(T0) == counts(notice=1)  # Lotus Tours only
    assert db.session.scalars(select(OutboxMessage.recipient)).all() == [on_version_1[1].email]


def test_written_in_the_owners_language(on_version_1):
    _company, owner = on_version_1
    owner.locale = "fr"
    spanish, owner_es = member(countries=("TH",))
    signed(spanish, owner_es, "1")
    owner_es.locale = "es"
    db.session.commit()
    queue_notices(T0)
    [french] = sent_to(owner.email)
    assert french.subject == "Les critères de The Code ont changé : veuillez signer la version 2"
    assert "y compris l'encadrement du volontourisme." in french.body
    assert "https://tracker.test/company/sign" in french.body
    [in_spanish] = sent_to(owner_es.email)
    assert in_spanish.subject == "Los criterios de The Code han cambiado: firme la versión 2"
    assert "incluida la regulación del volunturismo." in in_spanish.body


def test_without_an_active_owner_the_contact_address_is_used(on_version_1):
    company, owner = on_version_1
    owner.deactivated_at = T0
    db.session.commit()
    queue_notices(T0)
    assert db.session.scalars(select(OutboxMessage.recipient)).all() == [company.contact_email]


def test_a_dry_run_counts_and_records_nothing(on_version_1):
    assert queue_notices(T0, dry_run=True) == counts(notice=1)
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert db.session.scalars(select(CriteriaNotice)).all() == []


def test_a_notice_recorded_by_another_run_is_not_sent_again(on_version_1, monkeypatch):
    company, owner = on_version_1
    db.session.add(CriteriaNotice(company_id=company.id, criteria_version="2", sent_at=T0))
    db.session.commit()
    # As if this run had read the notices before the other run recorded its own.
    monkeypatch.setattr(db.session, "scalars", _hiding_notices(db.session.scalars))
    assert queue_notices(T0) == counts()
    assert sent_to(owner.email) == []


def _hiding_notices(scalars):
    def scalars_without_notices(query, *args, **kwargs):
        if "criteria_notices" in str(query) and "companies" not in str(query):
            return iter(())
        return scalars(query, *args, **kwargs)

    return scalars_without_notices


def test_only_the_changed_criteria_are_named():
    assert [c.number for c in changes("1", "2")] == [1]
    assert changes("2", "2") == []


def test_the_sql_twin_agrees_with_the_predicate(on_version_1):
    current, owner = member(countries=("TH",))
    signed(current, owner, "2")
    suspended, owner = member(countries=("TH",))
    signed(suspended, owner, "1")
    suspended.membership.standing = Standing.SUSPENDED
    resigned, owner = member(countries=("TH",))
    signed(resigned, owner, "1", on=T0 - timedelta(days=400))
    signed(resigned, owner, "2", on=T0)
    expelled, owner = member(countries=("TH",))
    signed(expelled, owner, "1")
    expelled.membership.standing = Standing.EXPELLED
    member(countries=("TH",))  # never signed
    db.session.commit()
    companies = db.session.scalars(select(Company)).all()
    asked = set(db.session.scalars(select(Company.id).where(queries.must_sign_again())))
    assert asked == {c.id for c in companies if c.must_sign_again}
    assert asked == {on_version_1[0].id, suspended.id}  # written out by hand
    assert criteria_notices.member_count() == 1  # the suspended member is not e-mailed


class TestCommand:
    def test_notify_sends_and_a_second_run_sends_nothing(self, on_version_1, runner, smtp):
        _company, owner = on_version_1
        result = runner.invoke(args=["criteria", "notify"])
        assert result.exit_code == 0, result.output
        assert "Queued criteria version 2 notices: 1, reminders: 0." in result.output
        assert "Sent 1, failed 0" in result.output
        [message] = smtp.to(owner.email)
        assert "please sign version 2" in message["Subject"]
        smtp.messages.clear()
        result = runner.invoke(args=["criteria", "notify"])
        assert "notices: 0, reminders: 0." in result.output
        assert smtp.messages == []

    def test_dry_run(self, on_version_1, runner, smtp):
        result = runner.invoke(args=["criteria", "notify", "--dry-run"])
        assert result.exit_code == 0, result.output
        assert "Would queue criteria version 2 notices: 1, reminders: 0." in result.output
        assert smtp.messages == []
        assert db.session.scalars(select(CriteriaNotice)).all() == []

    def test_the_daily_reminder_job_sends_them_too(self, on_version_1, runner, smtp):
        _company, owner = on_version_1
        result = runner.invoke(args=["send-reminders", "--date", "2026-12-07", "--queue-only"])
        assert result.exit_code == 0, result.output
        assert "Queued criteria version 2 notices: 1, reminders: 0." in result.output
        [notice] = [m for m in sent_to(owner.email) if m.kind == "criteria_changed"]
        assert notice.subject == "The Code's criteria have changed: please sign version 2"
        sent_at = db.session.scalar(select(CriteriaNotice.sent_at))
        assert sent_at == datetime(2026, 12, 7, tzinfo=UTC)  # as on the day asked
