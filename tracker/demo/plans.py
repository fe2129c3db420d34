"""Implementation plans for the bulk demo companies, in every state.

Approved companies (not signed yet) get a plan: none started, draft, submitted, returned with
the reviewer's comments, or approved. Members get the approved, empty plan the migration gives
those who joined before the tracker kept plans. Rows are inserted with one executemany per
table and batch, like the companies (`bulk.py`).
"""

import random
from datetime import date, datetime, timedelta

from sqlalchemy import insert

from tracker.extensions import db
from tracker.plans import services
from tracker.plans.models import LEGACY_NOTE, Plan, PlanCriterion, PlanState, PlanSubmission

# The plan of an approved company (None: not started yet).
STATES = {None: 15, PlanState.DRAFT: 25, PlanState.SUBMITTED: 25, PlanState.RETURNED: 15}
STATES |= {PlanState.APPROVED: 20}

ACTIONS = {
    PlanCriterion.POLICY: "Adopt a child protection policy and a reporting procedure, "
    "including rules for volunteering activities.",
    PlanCriterion.TRAINING: "Train all front-line staff with the e-learning, managers in person.",
    PlanCriterion.CONTRACTS: "Add The Code's clause to every supplier contract at renewal.",
    PlanCriterion.TRAVELLERS: "Inform travellers on our website and in booking confirmations.",
    PlanCriterion.STAKEHOLDERS: "Join the local child protection network with our LCR.",
}
RESPONSIBLE = ("Head of Sustainability", "HR Manager", "General Manager", "Legal Counsel")


def load(
    rng: random.Random,
    now: datetime,
    reviewer_id: int,
    approved: list[tuple[int, int]],
    members: list[tuple[int, datetime]],
) -> None:
    """Plans for the `approved` (company id, owner id) and the `members` (company id, joined)."""
    plans, drafts = [], []
    for company_id, joined_at in members:
        plans.append(_legacy(company_id, joined_at))
    for index, (company_id, owner_id) in enumerate(approved):
        # Each state at least once per batch, however few approved companies it has.
        if index < len(STATES):
            state = list(STATES)[index]
        else:
            state = rng.choices(list(STATES), weights=list(STATES.values()))[0]
        if state is not None:
            drafts.append((company_id, owner_id, state, _filled(rng, company_id, state, now)))
    rows = plans + [row for _, _, _, row in drafts]
    if not rows:
        return
    ids = db.session.scalars(
        insert(Plan).returning(Plan.id, sort_by_parameter_order=True), rows
    ).all()
    submissions = []
    for plan_id, (_, owner_id, state, row) in zip(ids[len(plans) :], drafts, strict=True):
        submissions += _versions(rng, plan_id, owner_id, reviewer_id, state, row)
    if submissions:
        db.session.execute(insert(PlanSubmission), submissions)


def _legacy(company_id: int, joined_at: datetime) -> dict:
    return {
        "company_id": company_id,
        "year": joined_at.year,
        "state": PlanState.APPROVED,
        "created_at": joined_at,
        "updated_at": joined_at,
        "approved_at": joined_at,
        "note": LEGACY_NOTE,
        "version": 1,
    }


def _filled(rng: random.Random, company_id: int, state: PlanState, now: datetime) -> dict:
    created = now - timedelta(days=rng.randint(20, 60))
    row = {
        "company_id": company_id,
        "year": created.year,
        "state": state,
        "created_at": created,
        "updated_at": created + timedelta(days=5),
        "version": 1,
        "staff_to_train": rng.randint(5, 800),
        "organises_volunteering": rng.random() < 0.15,
        "submitted_at": created + timedelta(days=5) if state is not PlanState.DRAFT else None,
        "approved_at": created + timedelta(days=12) if state is PlanState.APPROVED else None,
    }
    for criterion in PlanCriterion:
        # A draft is half written: its later criteria are still empty.
        empty = state is PlanState.DRAFT and criterion.number > 2
        due: date = (now + timedelta(days=rng.randint(60, 365))).date()
        row[f"{criterion.value}_action"] = None if empty else ACTIONS[criterion]
        row[f"{criterion.value}_responsible"] = None if empty else rng.choice(RESPONSIBLE)
        row[f"{criterion.value}_due_on"] = None if empty else due
    return row


def _content(row: dict) -> dict:
    content = {
        c.value: {
            "action": row[f"{c.value}_action"],
            "responsible": row[f"{c.value}_responsible"],
            "due_on": row[f"{c.value}_due_on"].isoformat() if row[f"{c.value}_due_on"] else None,
        }
        for c in PlanCriterion
    }
    content["staff_to_train"] = row["staff_to_train"]
    content["organises_volunteering"] = row["organises_volunteering"]
    return content


def _versions(rng, plan_id, owner_id, reviewer_id, state: PlanState, row: dict) -> list[dict]:
    if state is PlanState.DRAFT:
        return []
    submitted = row["submitted_at"]
    version = {
        "plan_id": plan_id,
        "number": 1,
        "submitted_at": submitted,
        "submitted_by_id": owner_id,
        "content": _content(row),
        "comments": {},
    }
    if state is PlanState.SUBMITTED:
        return [version]
    decided = {"decided_at": submitted + timedelta(days=7), "decided_by_id": reviewer_id}
    if state is PlanState.RETURNED:
        comments = {"training": "Say how many front-line staff the e-learning will reach."}
        if rng.random() < 0.5:
            comments["contracts"] = "Name the contracts the clause goes into first."
        return [version | decided | {"outcome": "returned", "comments": comments}]
    return [version | decided | {"outcome": "approved", "comment": "A clear plan, thank you."}]


def approve_demo_plan(company, owner, reviewer) -> None:
    """The demo member's plan, written, submitted and approved through the real services."""
    plan = services.start_plan(company, owner)
    due = services.today() + timedelta(days=180)
    criteria = {
        criterion: services.CriterionInput(ACTIONS[criterion], RESPONSIBLE[0], due)
        for criterion in PlanCriterion
    }
    given = services.PlanInput(criteria, staff_to_train=120, organises_volunteering=False)
    services.save_draft(plan, given, owner, plan.version)
    services.submit_plan(plan, owner, plan.version)
    services.approve_plan(plan, reviewer, "A clear plan, thank you.", plan.version)


def backdate_demo_plan(company, submitted: datetime, approved: datetime) -> None:
    """Move the demo member's plan to before it joined, with due dates half a year after."""
    plan = services.plan_for(company)
    plan.created_at = submitted - timedelta(days=6)
    plan.submitted_at = plan.latest_submission.submitted_at = submitted
    plan.approved_at = plan.updated_at = plan.latest_submission.decided_at = approved
    for criterion in PlanCriterion:
        setattr(plan, f"{criterion.value}_due_on", (approved + timedelta(days=180)).date())
    due = (approved + timedelta(days=180)).date().isoformat()
    content = dict(plan.latest_submission.content)
    for criterion in PlanCriterion:
        content[criterion.value] = content[criterion.value] | {"due_on": due}
    plan.latest_submission.content = content
