"""Demo answers for the policy's procedures and "not applicable, because ..." (reports)."""

import random
from datetime import date, timedelta

from tracker.reports.models import NOT_APPLICABLE_SECTIONS, not_applicable_field

FOCAL_PEOPLE = (
    ("Somchai Wong", "Guest Relations Manager"),
    ("Marie Dubois", "Head of Human Resources"),
    ("Lucía Fernández", "Sustainability Coordinator"),
    ("Kwame Mensah", "Operations Director"),
    ("Nguyen Thi Lan", "Front Office Manager"),
)
PROCEDURES = (
    "Staff tell the duty manager at once; the focal person calls the police and the national "
    "child helpline, and records the case.",
    "Guides call the focal person, who informs the police and the local Code representative "
    "the same day.",
    "Any employee may call the police directly; the focal person follows up with the helpline.",
)
NO_CONTRACTS = (
    "We sell only our own rooms and services: we have no supplier contracts.",
    "All our services are provided by our own staff; we have no suppliers to contract.",
)
NO_TRAVELLERS = ("We are a corporate travel buyer: we book for employees, not travellers.",)


def criteria_answers(rng: random.Random, answers: dict, year_end: date) -> dict:
    """The answers to add to a demo report's: procedures for most adopted policies (some
    without, so not every policy counts as implemented), and a few criteria "not applicable"
    with their reason (those sections then left empty, as a member would)."""
    extra: dict = {not_applicable_field(section): None for section in NOT_APPLICABLE_SECTIONS}
    extra |= dict.fromkeys(
        (
            "policy_focal_person",
            "policy_focal_person_role",
            "policy_reporting_procedure",
            "policy_board_approved_on",
        )
    )
    if answers.get("policy_adopted") and rng.random() < 0.85:
        person, role = rng.choice(FOCAL_PEOPLE)
        adopted = answers.get("policy_adopted_on") or year_end
        extra |= {
            "policy_focal_person": person,
            "policy_focal_person_role": role,
            "policy_reporting_procedure": rng.choice(PROCEDURES),
            "policy_board_approved_on": min(adopted + timedelta(days=14), year_end),
        }
    if rng.random() < 0.06:
        extra |= {
            "contracts_na_reason": rng.choice(NO_CONTRACTS),
            "contracts_total": None,
            "contracts_with_clause": None,
        }
    elif rng.random() < 0.02:
        extra |= {
            "travellers_na_reason": rng.choice(NO_TRAVELLERS),
            "traveller_channels": [],
            "travellers_text": None,
        }
    return extra


def add_demo_evidence(report, owner, pdf: bytes) -> None:
    """A training record as evidence for criterion 2, checked and stored as an upload is."""
    from flask import current_app

    from tracker.reports import documents, evidence
    from tracker.reports.models import Section

    limit = current_app.config["REPORT_DOCUMENT_MAX_BYTES"]
    content_type = evidence.checked_type(pdf, limit)
    stored = documents.store(pdf, documents.folder())
    name = "training-attendance.pdf"
    evidence.add_evidence(report, Section.TRAINING, stored, name, len(pdf), content_type, owner)
