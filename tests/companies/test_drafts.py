"""Drafts of applications: one per user, overwritten, bounded, gone once the user applies."""

import pytest
from sqlalchemy import func, select

from tests.companies.test_services import DETAILS
from tests.factories import CompanyFactory, UserFactory, owner_of
from tracker.companies import drafts, services
from tracker.companies.applications import ApplicationDraft
from tracker.domain import DomainError
from tracker.extensions import db


def count() -> int:
    return db.session.scalar(select(func.count(ApplicationDraft.id)))


def test_save_then_save_again_keeps_one_draft(applicant):
    first = drafts.save_draft(applicant, {"legal_name": "Sunrise"})
    db.session.commit()
    second = drafts.save_draft(applicant, {"legal_name": "Moonrise"})
    db.session.commit()
    assert count() == 1
    draft = drafts.draft_of(applicant)
    assert draft.data == {"legal_name": "Moonrise"}
    assert draft.saved_at == second
    assert second >= first


def test_a_parallel_first_save_is_overwritten_not_a_500(applicant, monkeypatch):
    """Two first saves at once: both find no draft, one inserts first and the other's insert
    breaks the unique user_id; that one then overwrites the row."""
    drafts.save_draft(applicant, {"legal_name": "First"})
    db.session.commit()
    overwrite = drafts._overwrite
    calls = []

    def not_there_yet(*args):
        calls.append(args)
        # The first look finds nothing, as when the parallel save had not committed yet.
        return False if len(calls) == 1 else overwrite(*args)

    monkeypatch.setattr(drafts, "_overwrite", not_there_yet)
    drafts.save_draft(applicant, {"legal_name": "Second"})
    db.session.commit()
    assert len(calls) == 2
    assert count() == 1
    assert drafts.draft_of(applicant).data == {"legal_name": "Second"}


def test_a_draft_is_bounded_in_size(applicant):
    # 40,000 two-byte characters: 80,000 bytes of UTF-8 (64 KB is 65,536).
    with pytest.raises(DomainError, match="This draft is too long to keep"):
        drafts.save_draft(applicant, {"legal_name": "é" * 40_000})
    assert count() == 0
    drafts.save_draft(applicant, {"legal_name": "é" * 30_000})
    assert count() == 1


def test_a_member_keeps_no_draft():
    owner = owner_of(CompanyFactory())
    with pytest.raises(DomainError, match="already belongs to a company"):
        drafts.save_draft(owner, {"legal_name": "Sunrise"})
    assert count() == 0


def test_applying_discards_the_draft_in_the_same_transaction(applicant):
    drafts.save_draft(applicant, {"legal_name": "Sunrise"})
    db.session.commit()
    services.submit_application(applicant, DETAILS)
    assert count() == 0  # flushed with the company, before any commit
    db.session.rollback()
    assert count() == 1  # and rolled back with it


def test_discarding_leaves_other_drafts(applicant):
    other = UserFactory(email="other@example.com")
    drafts.save_draft(applicant, {"legal_name": "Sunrise"})
    drafts.save_draft(other, {"legal_name": "Other"})
    drafts.discard_draft(applicant)
    assert drafts.draft_of(applicant) is None
    assert drafts.draft_of(other).data == {"legal_name": "Other"}
