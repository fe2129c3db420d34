"""Report rules, enforced in the services whatever calls them."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory, UserFactory, owner_of
from tests.reports.helpers import complete_answers, hotel_chain, member, ready_report
from tracker.audit import AuditAction, AuditEntry
from tracker.companies.enums import Stage, Standing
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.reports import drafting, services
from tracker.reports.history import company_history
from tracker.reports.models import ReportState, ReviewOutcome, Section

ON = date(2026, 2, 1)  # the 2025 report is due on 31 March 2026
AFTER_DUE = date(2026, 6, 1)


def actions(company) -> list[str]:
    query = select(AuditEntry.action).where(AuditEntry.company_id == company.id)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


class TestStart:
    def test_rows_per_country_for_a_tour_operator(self):
        company, owner = member(countries=("TH", "KH"))
        report = drafting.start_report(company, 2025, owner, ON)
        assert [row.country_code for row in report.training] == ["KH", "TH"]
        assert report.state is ReportState.DRAFT

    def test_rows_per_property_for_a_hotel_chain_each_property_once(self):
        company, owner = hotel_chain(
            [("TH", "Lotus", "Bangkok"), ("TH", "lotus", "Bangkok"), ("FR", "Azur", "Nice")]
        )
        report = drafting.start_report(company, 2025, owner, ON)
        assert [(r.country_code, r.property_name) for r in report.training] == [
            ("FR", "Azur"),
            ("TH", "Lotus"),
        ]

    def test_open_years_are_the_ended_ones_and_the_current_one(self):
        company, _owner = member(joined=date(2024, 5, 1))
        assert [y.year for y in services.open_years(company, ON)] == [2025, 2026]

    def test_a_member_who_joined_this_year_has_nothing_to_write_yet(self):
        company, owner = member(joined=date(2026, 1, 15))
        assert services.open_years(company, ON) == []
        with pytest.raises(DomainError, match="no report to write for 2026"):
            drafting.start_report(company, 2026, owner, ON)

    @pytest.mark.parametrize("year", [2023, 2024, 2027, 9999])
    def test_years_outside_the_membership_are_refused(self, year):
        company, owner = member(joined=date(2024, 5, 1))
        with pytest.raises(DomainError, match=f"There is no report to write for {year}"):
            drafting.start_report(company, year, owner, ON)

    @pytest.mark.parametrize("stage", [Stage.SUBMITTED, Stage.APPROVED, Stage.WITHDRAWN])
    def test_only_members_report(self, stage):
        company = CompanyFactory(stage=stage)
        with pytest.raises(DomainError, match="There is no report to write for 2025"):
            drafting.start_report(company, 2025, owner_of(company), ON)

    def test_a_suspended_member_still_reports(self):
        company, owner = member()
        company.membership.standing = Standing.SUSPENDED
        db.session.commit()
        assert drafting.start_report(company, 2025, owner, ON).year == 2025

    def test_starting_twice_gives_the_same_report(self):
        company, owner = member()
        first = drafting.start_report(company, 2025, owner, ON)
        db.session.commit()
        assert drafting.start_report(company, 2025, owner, ON).id == first.id

    def test_from_last_year_copies_answers_and_matching_training_rows(self):
        company, owner = member(joined=date(2023, 5, 1), countries=("TH",))
        last = ready_report(company, owner, 2024, date(2025, 2, 1))
        company.operations.append(type(company.operations[0])(country_code="VN"))
        db.session.commit()
        new = drafting.start_report(company, 2025, owner, ON, from_last_year=True)
        assert new.contracts_total == last.contracts_total == 20
        assert new.policy_document == "stored-name"
        assert new.traveller_channels == last.traveller_channels
        by_country = {row.country_code: row for row in new.training}
        # Staff and currently trained carry over; who is trained this year starts blank.
        thailand = by_country["TH"]
        assert (thailand.employees, thailand.current, thailand.trained) == (10, 8, None)
        assert thailand.hours == 2.5
        front_line = thailand.groups[0]
        assert (front_line.staff_group.value, front_line.employees, front_line.current) == (
            "front_line",
            10,
            8,
        )
        assert front_line.new_in_person is None and front_line.new_e_learning is None
        assert by_country["VN"].employees is None  # a new country starts empty


class TestDraft:
    def test_save_keeps_answers_and_moves_the_version(self):
        company, owner = member()
        report = drafting.start_report(company, 2025, owner, ON)
        db.session.commit()
        before = report.version
        drafting.save_draft(report, complete_answers(report), owner, before)
        db.session.commit()
        assert report.version > before
        assert report.contracts_with_clause == 15
        assert [row.trained for row in report.training] == [8, 8]

    def test_a_change_to_training_alone_moves_the_version(self):
        company, owner = member()
        report = drafting.start_report(company, 2025, owner, ON)
        drafting.save_draft(report, complete_answers(report), owner, report.version)
        db.session.commit()
        before = report.version
        drafting.save_draft(report, complete_answers(report, trained=9), owner, before)
        db.session.commit()
        assert report.version == before + 1

    def test_a_stale_version_is_a_conflict_and_saves_nothing(self):
        company, owner = member()
        report = drafting.start_report(company, 2025, owner, ON)
        drafting.save_draft(report, complete_answers(report), owner, report.version)
        db.session.commit()
        with pytest.raises(services.ReportConflict, match=f"report {report.id} changed"):
            drafting.save_draft(
                report, replace(complete_answers(report), contracts_total=99), owner, 1
            )
        db.session.rollback()
        assert report.contracts_total == 20

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"contracts_with_clause": 21}, "contracts_with_clause"),
            ({"contracts_total": -1}, "contracts_total"),
            ({"cases_reported": 10**9}, "cases_reported"),
            ({"policy_adopted_on": date(2999, 1, 1)}, "policy_adopted_on"),
            ({"traveller_channels": ("carrier-pigeon",)}, "traveller_channels"),
        ],
    )
    def test_rules_on_answers(self, change, field):
        company, owner = member()
        report = drafting.start_report(company, 2025, owner, ON)
        db.session.commit()
        with pytest.raises(
            DomainError,
            match="Choose from the list|whole number from 0|in the future|cannot be more than",
        ) as error:
            drafting.save_draft(report, replace(complete_answers(report), **change), owner, 1)
        assert field in {name for name, _message in error.value.errors}

    def test_trained_may_not_exceed_employees(self):
        company, owner = member()
        report = drafting.start_report(company, 2025, owner, ON)
        db.session.commit()
        answers = complete_answers(report, trained=11)
        with pytest.raises(DomainError, match="outnumber"):
            drafting.save_draft(report, answers, owner, report.version)

    def test_rows_of_another_report_are_refused(self):
        company, owner = member()
        other, other_owner = member()
        report = drafting.start_report(company, 2025, owner, ON)
        foreign = drafting.start_report(other, 2025, other_owner, ON)
        db.session.commit()
        answers = complete_answers(foreign)
        with pytest.raises(DomainError, match="out of date"):
            drafting.save_draft(report, answers, owner, report.version)

    def test_coverage_is_computed(self):
        company, owner = member(countries=("TH",))
        report = ready_report(company, owner)
        assert report.training[0].coverage == 0.8


class TestSubmitAndReview:
    def test_missing_answers_are_listed_by_section(self):
        company, owner = member()
        report = drafting.start_report(company, 2025, owner, ON)
        sections = {section for section, _message in services.missing_answers(report)}
        assert sections == set(Section)

    def test_an_adopted_policy_needs_its_document(self):
        company, owner = member()
        report = drafting.start_report(company, 2025, owner, ON)
        drafting.save_draft(report, complete_answers(report), owner, report.version)
        assert services.missing_answers(report) == [
            (Section.POLICY, "Upload the policy document (PDF).")
        ]

    def test_not_before_the_year_has_ended(self):
        company, owner = member()
        report = ready_report(company, owner, 2026)
        with pytest.raises(DomainError, match="once the year has ended"):
            services.submit_report(report, owner, report.version, date(2026, 12, 31))

    def test_submit_locks_and_keeps_a_version(self):
        company, owner = member()
        report = ready_report(company, owner)
        submission = services.submit_report(report, owner, report.version, ON)
        db.session.commit()
        assert report.state is ReportState.SUBMITTED and not report.is_editable
        assert submission.number == 1
        assert submission.content["contracts_total"] == 20
        assert submission.content["training"][0]["trained"] == 8
        assert actions(company)[-1] == AuditAction.REPORT_SUBMITTED
        with pytest.raises(DomainError, match="can no longer be changed"):
            drafting.save_draft(report, complete_answers(report), owner, report.version)

    def test_an_incomplete_report_is_not_submitted(self):
        company, owner = member()
        report = drafting.start_report(company, 2025, owner, ON)
        with pytest.raises(DomainError, match="Say whether your company has adopted a policy"):
            services.submit_report(report, owner, report.version, ON)
        assert report.state is ReportState.DRAFT and report.submissions == []

    def test_return_needs_a_section_comment(self, reviewer):
        company, owner = member()
        report = ready_report(company, owner)
        services.submit_report(report, owner, report.version, ON)
        with pytest.raises(DomainError, match="at least one section"):
            services.return_report(report, reviewer, {Section.TRAINING: "  "}, "", report.version)

    def test_the_whole_thread_stays_on_record(self, reviewer):
        company, owner = member()
        report = ready_report(company, owner)
        services.submit_report(report, owner, report.version, ON)
        services.return_report(
            report, reviewer, {Section.TRAINING: "Add Cambodia."}, "Nearly there.", report.version
        )
        db.session.commit()
        assert report.state is ReportState.RETURNED and report.is_editable
        assert services.returned_comments(report) == {"training": "Add Cambodia."}

        answers = complete_answers(report, trained=10)
        drafting.save_draft(report, answers, owner, report.version)
        services.submit_report(report, owner, report.version, AFTER_DUE)
        services.accept_report(report, reviewer, "Thank you.", report.version)
        db.session.commit()

        first, second = report.submissions
        assert (first.outcome, second.outcome) == (ReviewOutcome.RETURNED, ReviewOutcome.ACCEPTED)
        assert first.comments == {"training": "Add Cambodia."}
        assert first.content["training"][0]["trained"] == 8
        assert second.content["training"][0]["trained"] == 10
        assert actions(company)[-4:] == [
            AuditAction.REPORT_SUBMITTED,
            AuditAction.REPORT_RETURNED,
            AuditAction.REPORT_RESUBMITTED,
            AuditAction.REPORT_ACCEPTED,
        ]
        titles = [item.title for item in company_history(company)]
        assert titles[0] == "Annual report accepted (2025)"
        history = company_history(company)[1]
        assert (history.status_before, history.status_after) == (
            "Returned for changes",
            "Submitted, under review",
        )

    def test_decisions_are_for_staff_who_may_see_the_company(self, rep_fr):
        company, owner = member(countries=("TH",))
        report = ready_report(company, owner)
        services.submit_report(report, owner, report.version, ON)
        colleague = UserFactory(company=company)
        for person in (owner, colleague, rep_fr):
            with pytest.raises(DomainError, match="Only staff"):
                services.accept_report(report, person, "", report.version)
        assert report.state is ReportState.SUBMITTED

    def test_a_decision_on_a_draft_is_refused(self, reviewer):
        company, owner = member()
        report = ready_report(company, owner)
        with pytest.raises(DomainError, match="not waiting"):
            services.accept_report(report, reviewer, "", report.version)

    def test_a_decision_on_a_stale_version_is_a_conflict(self, reviewer):
        company, owner = member()
        report = ready_report(company, owner)
        services.submit_report(report, owner, report.version, ON)
        with pytest.raises(services.ReportConflict, match=f"report {report.id} changed"):
            services.accept_report(report, reviewer, "", report.version - 1)


class TestExtension:
    def test_granting_moves_the_due_date_and_is_audited(self, reviewer):
        company, _owner = member()
        services.grant_extension(company, 2025, date(2026, 6, 30), "Flood", reviewer, ON)
        db.session.commit()
        standing = services.standing_for(company, date(2026, 5, 1))
        assert (standing.kind.value, standing.due) == ("extended", date(2026, 6, 30))
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == AuditAction.REPORT_EXTENSION_GRANTED)
        ).one()
        assert entry.details["changes"] == {"due_on": ["2026-03-31", "2026-06-30"]}
        assert entry.comment == "Flood"

    @pytest.mark.parametrize(
        ("year", "due_on", "reason", "field"),
        [
            (2025, date(2026, 6, 30), " ", "reason"),
            (2019, date(2026, 6, 30), "Flood", "year"),
            (2025, date(2026, 3, 31), "Flood", "due_on"),
            (2025, date(2026, 1, 1), "Flood", "due_on"),
            # At most REPORT_EXTENSION_MAX_MONTHS (12) after 31 March 2026.
            (2025, date(2027, 4, 1), "Flood", "due_on"),
            (2025, date(2999, 1, 1), "Flood", "due_on"),
        ],
    )
    def test_refused(self, reviewer, year, due_on, reason, field):
        company, _owner = member()
        with pytest.raises(
            DomainError,
            match="reason for the later date|owes no report|Choose a date after|may run until",
        ) as error:
            services.grant_extension(company, year, due_on, reason, reviewer, ON)
        assert error.value.errors[0][0] == field

    def test_an_extension_may_reach_the_bound(self, app, reviewer, monkeypatch):
        company, _owner = member()
        services.grant_extension(company, 2025, date(2027, 3, 31), "Flood", reviewer, ON)
        monkeypatch.setitem(app.config, "REPORT_EXTENSION_MAX_MONTHS", 3)
        with pytest.raises(DomainError, match="until June 30, 2026 at the latest"):
            services.grant_extension(company, 2025, date(2026, 7, 1), "Flood", reviewer, ON)


class TestStanding:
    def test_before_the_first_due_date_a_report_is_due(self):
        company, _owner = member()
        standing = services.standing_for(company, ON)
        assert (standing.kind.value, standing.year, standing.due) == (
            "due",
            2025,
            date(2026, 3, 31),
        )

    def test_after_it_the_report_is_overdue_by_days(self):
        company, _owner = member()
        standing = services.standing_for(company, date(2026, 4, 10))
        assert (standing.kind.value, standing.days_overdue) == ("overdue", 10)

    def test_submitted_is_under_review_then_accepted_is_good(self, reviewer):
        company, owner = member()
        report = ready_report(company, owner)
        services.submit_report(report, owner, report.version, ON)
        db.session.commit()
        assert services.standing_for(company, AFTER_DUE).kind.value == "under_review"
        services.accept_report(report, reviewer, "", report.version)
        db.session.commit()
        standing = services.standing_for(company, AFTER_DUE)
        assert (standing.kind.value, standing.year) == ("good", 2026)

    def test_a_returned_report_past_its_date_is_overdue(self, reviewer):
        company, owner = member()
        report = ready_report(company, owner)
        services.submit_report(report, owner, report.version, ON)
        services.return_report(report, reviewer, {Section.POLICY: "Sign it."}, "", report.version)
        db.session.commit()
        assert services.standing_for(company, AFTER_DUE).kind.value == "overdue"

    def test_former_members_have_no_standing(self):
        company = CompanyFactory(stage=Stage.WITHDRAWN)
        assert services.standing_for(company, ON) is None


@pytest.mark.parametrize("stage", [Standing.WITHDRAWN, Standing.EXPELLED])
def test_a_former_member_can_neither_save_nor_submit(stage):
    company, owner = member()
    report = ready_report(company, owner)
    company.membership.standing = stage
    db.session.commit()
    with pytest.raises(DomainError, match="Only members"):
        drafting.save_draft(report, complete_answers(report), owner, report.version)
    with pytest.raises(DomainError, match="Only members"):
        services.submit_report(report, owner, report.version, ON)
