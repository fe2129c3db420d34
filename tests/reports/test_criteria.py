"""The criteria as The Code words them, policy procedures, "not applicable, because ...", and
the one rule that says when a report shows a criterion implemented."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tests.directory.test_signatories import members  # noqa: F401 (a fixture)
from tests.reports.helpers import complete_answers, member, ready_report
from tests.reports.test_views import form_fields, started
from tracker.companies.criteria import criteria, current_version
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.reports import drafting, implementation, inputs, recognition, services, training_csv
from tracker.reports.content import differences, snapshot
from tracker.reports.models import Report, ReportState, Section
from tracker.reports.training import StaffGroup

ON = date(2026, 2, 1)
CHECKED = 'checked id="contracts_na" name="contracts_na" type="checkbox" value="y"'
CONTRACTS_NA = {
    "contracts_total": "",
    "contracts_with_clause": "",
    "contracts_na": "y",
    "contracts_na_reason": "We sell only our own rooms: we have no suppliers.",
}


@pytest.fixture()
def member_a(auth):
    company, owner = member(countries=("TH", "KH"))
    auth.login(owner.email)
    return company, owner


def not_applicable(answers, section: Section, reason: str | None) -> inputs.Answers:
    return replace(
        answers,
        **{f"{section.value}_na_reason": reason},
        not_applicable=answers.not_applicable | {section},
    )


# -- The wording ------------------------------------------------------------------------------


def test_the_current_criteria_use_the_codes_wording():
    current = criteria()
    assert current_version() == "2"
    assert str(current[0].title) == "Policy and procedures"
    assert "including the regulation of voluntourism" in str(current[0].text)
    assert str(current[5].title) == "Reporting annually"
    # The version members signed before keeps its text.
    assert "voluntourism" not in str(criteria("1")[0].text)


def test_suspected_cases_are_a_section_of_their_own_not_criterion_6():
    assert [section.criterion for section in Section] == [1, 2, 3, 4, 5, None]
    assert Section.POLICY.heading == "1. Policy and procedures"
    assert Section.CASES.heading == "Suspected cases reported"
    assert not Section.CASES.may_be_not_applicable


# -- The rule ---------------------------------------------------------------------------------


def content(**changes) -> dict:
    """Answers that meet every criterion: 10 employees in each of two rows, 6 trained."""
    base = {
        "policy_adopted": True,
        "policy_focal_person": "Mai Chan",
        "policy_reporting_procedure": "To the duty manager, then the police.",
        "contracts_total": 10,
        "contracts_with_clause": 5,
        "traveller_channels": ["website"],
        "stakeholder_organisations": "ECPAT Thailand",
        "training": [
            {"country_code": "TH", "employees": 10, "trained": 6},
            {"country_code": "KH", "employees": 10, "trained": 6},
        ],
    }
    return base | changes


def ungrouped(trained: int, current: int | None) -> dict:
    """A row of 10 employees without staff groups (as before groups, or an old submission)."""
    return {"country_code": "TH", "employees": 10, "trained": trained, "current": current}


def staffed(**groups: tuple[int, int | None]) -> dict:
    """A training row as a submission keeps it, from staff group -> (employees, currently
    trained); up to 6 of each group took new training in person this year (none beyond the
    currently trained)."""
    given = [
        {
            "staff_group": name,
            "employees": employees,
            "new_in_person": min(6, employees, 6 if current is None else current),
            "new_e_learning": None,
            "refresher_in_person": None,
            "refresher_e_learning": None,
            "current": current,
        }
        for name, (employees, current) in groups.items()
    ]
    return {
        "country_code": "TH",
        "employees": sum(group["employees"] for group in given),
        "trained": sum(group["new_in_person"] for group in given),
        "current": sum(group["current"] or 0 for group in given),
        "groups": given,
    }


LIMITS = implementation.Thresholds(50, 50, 1)


@pytest.mark.parametrize(
    ("changes", "criterion", "met"),
    [
        ({}, 1, True),
        ({"policy_focal_person": None}, 1, False),  # a policy without its procedures
        ({"policy_reporting_procedure": ""}, 1, False),
        ({"policy_adopted": False}, 1, False),
        # 10 of 20 employees is 50%: met; 9 of 20 is not; one trained person never is.
        ({}, 2, True),
        ({"training": [{"country_code": "TH", "employees": 20, "trained": 9}]}, 2, False),
        ({"training": [{"country_code": "TH", "employees": 200, "trained": 1}]}, 2, False),
        ({"training": [{"country_code": "TH", "employees": 0, "trained": 0}]}, 2, False),
        # Currently trained counts, not trained this year: 2 of 10 trained, 6 current.
        ({"training": [ungrouped(trained=2, current=6)]}, 2, True),
        ({"training": [ungrouped(trained=6, current=None)]}, 2, True),
        ({"training": [ungrouped(trained=6, current=4)]}, 2, False),
        # Front-line staff decide: 4 of 10 current though 14 of 20 in all; 6 of 10 though 6 of 20.
        ({"training": [staffed(front_line=(10, 4), management=(10, 10))]}, 2, False),
        ({"training": [staffed(front_line=(10, 6), other=(10, 0))]}, 2, True),
        # Over every row's front-line group: 6 of 10 and 6 of 30 make 12 of 40.
        ({"training": [staffed(front_line=(10, 6)), staffed(front_line=(30, 6))]}, 2, False),
        # No front-line employees: all staff count, 6 of 10 then 4 of 10.
        ({"training": [staffed(other=(10, 6))]}, 2, True),
        ({"training": [staffed(front_line=(0, 0), management=(10, 4))]}, 2, False),
        # A front-line group without its currently trained counts those trained this year.
        ({"training": [staffed(front_line=(10, None), management=(10, 0))]}, 2, True),
        ({"contracts_with_clause": 4}, 3, False),  # 4 of 10
        ({"contracts_total": 100, "contracts_with_clause": 1}, 3, False),  # one contract
        ({"contracts_total": 0, "contracts_with_clause": 0}, 3, False),
        ({"traveller_channels": []}, 4, False),
        ({"stakeholder_organisations": "", "stakeholder_activities": "A talk"}, 5, False),
        # Not applicable with a reason counts as met, whatever the other answers say.
        ({"contracts_total": 0, "contracts_na_reason": "No suppliers."}, 3, True),
        ({"training": [], "training_na_reason": "No employees: the owner runs it."}, 2, True),
        ({"policy_adopted": None, "policy_na_reason": ""}, 1, False),  # no reason: not N/A
    ],
)
def test_the_rule_per_criterion(app, changes, criterion, met):
    assert implementation.criteria_met(content(**changes), LIMITS)[criterion] is met


def test_the_thresholds_are_settings(app):
    answers = content(training=[{"country_code": "TH", "employees": 10, "trained": 6}])
    assert implementation.criteria_met(answers)[2] is True  # the default: 50%
    app.config["TRAINING_COVERAGE_MIN"] = 75
    assert implementation.criteria_met(answers)[2] is False
    assert recognition.criteria_met(answers)[2] is False  # recognition reads the same rule
    app.config["TRAVELLER_CHANNELS_MIN"] = 2
    assert implementation.criteria_met(answers)[4] is False


@pytest.mark.parametrize(
    "settings",
    [{"TRAINING_COVERAGE_MIN": 0}, {"CONTRACT_CLAUSE_MIN": 101}, {"TRAVELLER_CHANNELS_MIN": 0}],
)
def test_a_threshold_that_would_call_everything_met_is_refused(settings):
    with pytest.raises(ValueError, match="MIN"):
        implementation.Thresholds.from_config(settings)


def with_groups(**groups: tuple[int, int | None]):
    """Give every training row of a saved report staff groups, staff group -> (employees,
    currently trained), and add them up as the entry side does."""

    def give(report: Report) -> None:
        for row in report.training:
            row.groups.clear()  # only the groups named here (deleted before they are added)
            db.session.flush()
            for name, (employees, current) in groups.items():
                group = row.group(StaffGroup(name))
                group.employees, group.current = employees, current
                group.new_in_person = min(6, employees, 6 if current is None else current)
            row.add_up()

    return give


def legacy_current(current: int):
    """A row from before staff groups whose currently trained differs from trained this year."""

    def give(report: Report) -> None:
        for row in report.training:
            row.groups.clear()  # rows from before staff groups have none
            db.session.flush()
            row.current = current

    return give


def answers_of(report: Report) -> dict:
    """The report's answers as a submission keeps them (with currently trained and groups)."""
    return snapshot(report)


@pytest.fixture()
def reports():
    """Reports whose columns meet or miss each rule, one way each (two rows of 10 employees,
    staff groups given per row where a second step says so)."""
    variants = [
        (lambda r: complete_answers(r), None),
        (lambda r: complete_answers(r, trained=4), None),  # 40%
        (lambda r: complete_answers(r, trained=5), None),  # exactly 50%
        (lambda r: replace(complete_answers(r), contracts_with_clause=9), None),  # 9 of 20
        (
            lambda r: replace(complete_answers(r), contracts_total=0, contracts_with_clause=0),
            None,
        ),
        (
            lambda r: not_applicable(
                replace(complete_answers(r), contracts_total=None, contracts_with_clause=None),
                Section.CONTRACTS,
                "No suppliers.",
            ),
            None,
        ),
        (
            lambda r: not_applicable(complete_answers(r, trained=0), Section.TRAINING, "Nobody."),
            None,
        ),
        (lambda r: replace(complete_answers(r), policy_focal_person=None), None),
        (
            lambda r: not_applicable(
                replace(complete_answers(r), policy_adopted=None), Section.POLICY, "Sole trader."
            ),
            None,
        ),
        (lambda r: replace(complete_answers(r), traveller_channels=()), None),
        (lambda r: replace(complete_answers(r), stakeholder_organisations=None), None),
        # 11: front-line 40% currently trained though 70% of all staff.
        (complete_answers, with_groups(front_line=(10, 4), management=(10, 10))),
        # 12: front-line 90% though 45% of all staff.
        (complete_answers, with_groups(front_line=(10, 9), other=(10, 0))),
        # 13: office staff only: all staff count, 70%.
        (complete_answers, with_groups(other=(10, 7))),
        # 14: no front-line employees in the group given: all staff, 100%.
        (complete_answers, with_groups(front_line=(0, 0), management=(5, 5))),
        # 15: before staff groups, 20% trained this year but 60% currently trained.
        (lambda r: complete_answers(r, trained=2), legacy_current(6)),
        # 16: front-line currently trained not given: those trained this year, 60%.
        (complete_answers, with_groups(front_line=(10, None), management=(10, 0))),
    ]
    made = []
    for answers, then in variants:
        company, owner = member()
        report = drafting.start_report(company, 2025, owner, ON)
        drafting.save_draft(report, answers(report), owner, report.version)
        if then is not None:
            then(report)
        made.append(report)
    db.session.commit()
    return made


@pytest.mark.parametrize("coverage", [50, 40, 100])
def test_the_sql_twin_agrees_report_by_report(app, reports, coverage):
    app.config["TRAINING_COVERAGE_MIN"] = coverage
    ids = [report.id for report in reports]
    found = set(
        db.session.scalars(
            select(Report.id).where(Report.id.in_(ids), implementation.criteria_implemented())
        )
    )
    expected = {r.id for r in reports if all(implementation.criteria_met(answers_of(r)).values())}
    assert found == expected
    assert (reports[0].id in expected) is (coverage <= 80) and reports[3].id not in expected
    assert reports[6].id in expected  # training not applicable: met whatever the threshold
    assert (reports[5].id in expected) is (coverage != 100)  # 80% trained
    # Front-line staff decide, all staff where there are none; currently trained counts.
    met = [index for index in range(11, 17) if reports[index].id in expected]
    assert met == {40: [11, 12, 13, 14, 15, 16], 50: [12, 13, 14, 15, 16], 100: [14]}[coverage]


@pytest.mark.parametrize("coverage", [50, 40, 100])
def test_each_criterions_sql_twin_agrees_report_by_report(app, reports, coverage, monkeypatch):
    monkeypatch.setitem(app.config, "TRAINING_COVERAGE_MIN", coverage)
    ids = [report.id for report in reports]
    conditions = implementation.criterion_implemented()
    assert sorted(conditions) == [1, 2, 3, 4, 5]
    for criterion, condition in conditions.items():
        found = set(db.session.scalars(select(Report.id).where(Report.id.in_(ids), condition)))
        met = implementation.criteria_met
        expected = {r.id for r in reports if met(answers_of(r))[criterion]}
        assert found == expected, criterion
        # Every variant misses at most one criterion; each criterion is missed by one at least.
        assert 0 < len(expected) < len(ids) or (criterion == 2 and coverage == 40), criterion


# -- Saving and submitting --------------------------------------------------------------------


def test_not_applicable_needs_a_reason(app):
    company, owner = member()
    report = drafting.start_report(company, 2025, owner, ON)
    answers = not_applicable(complete_answers(report), Section.CONTRACTS, "  ")
    with pytest.raises(DomainError, match="Say why this criterion does not apply"):
        drafting.save_draft(report, answers, owner, report.version)


def test_suspected_cases_cannot_be_not_applicable(app):
    company, owner = member()
    report = drafting.start_report(company, 2025, owner, ON)
    answers = replace(complete_answers(report), not_applicable=frozenset({Section.CASES}))
    with pytest.raises(DomainError, match="Only criteria 1 to 5"):
        drafting.save_draft(report, answers, owner, report.version)


def test_a_section_not_applicable_asks_nothing_more_before_submitting(app):
    company, owner = member()
    report = ready_report(company, owner)
    answers = replace(complete_answers(report), contracts_total=None, contracts_with_clause=None)
    drafting.save_draft(report, answers, owner, report.version)
    assert [section for section, _ in services.missing_answers(report)] == [Section.CONTRACTS]
    answers = not_applicable(answers, Section.CONTRACTS, "No suppliers.")
    drafting.save_draft(report, answers, owner, report.version)
    assert services.missing_answers(report) == []
    # Unticking the box drops the reason: the criterion applies again.
    unticked = replace(answers, not_applicable=frozenset())
    drafting.save_draft(report, unticked, owner, report.version)
    assert report.contracts_na_reason is None
    assert [section for section, _ in services.missing_answers(report)] == [Section.CONTRACTS]


def test_an_adopted_policy_needs_its_procedures_before_submitting(app):
    company, owner = member()
    report = ready_report(company, owner)
    answers = replace(complete_answers(report), policy_focal_person=None)
    answers = replace(answers, policy_reporting_procedure=None)
    drafting.save_draft(report, answers, owner, report.version)
    messages = [message for _, message in services.missing_answers(report)]
    assert messages == [
        "Name the focal person for child protection.",
        "Describe how staff report a suspected case.",
    ]


def test_a_training_import_keeps_the_not_applicable_answers(app):
    company, owner = member()
    report = drafting.start_report(company, 2025, owner, ON)
    answers = not_applicable(complete_answers(report), Section.CONTRACTS, "No suppliers.")
    drafting.save_draft(report, answers, owner, report.version)
    kept = training_csv.answers_with(report, training_csv.parse("", report))
    assert kept.contracts_na_reason == "No suppliers."
    assert kept.not_applicable == {Section.CONTRACTS}


def test_the_diff_between_versions_shows_not_applicable_and_procedures(app):
    company, owner = member()
    report = ready_report(company, owner)
    before = snapshot(report)
    answers = not_applicable(complete_answers(report), Section.CONTRACTS, "No suppliers.")
    drafting.save_draft(
        report, replace(answers, policy_focal_person="Ana Ruiz"), owner, report.version
    )
    changes = {
        (c.section, c.label): (c.before, c.after) for c in differences(before, snapshot(report))
    }
    assert changes[(Section.CONTRACTS, "Not applicable, because")] == ("", "No suppliers.")
    assert changes[(Section.POLICY, "Focal person")] == ("Mai Chan", "Ana Ruiz")


# -- Pages ------------------------------------------------------------------------------------


def test_the_form_refuses_not_applicable_without_a_reason_beside_the_field(client, member_a):
    report = started(*member_a)
    data = form_fields(report, **(CONTRACTS_NA | {"contracts_na_reason": ""}))
    response = client.submit("/company/reports/2025", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="contracts_na_reason-error"' in page
    assert "Say why this criterion does not apply to your company." in page
    assert CHECKED in page  # kept as typed
    db.session.refresh(report)
    assert report.contracts_na_reason is None


def test_not_applicable_and_procedures_are_saved_and_previewed(client, member_a):
    report = started(*member_a)
    data = form_fields(report, **CONTRACTS_NA, policy_board_approved_on="2024-01-15")
    assert client.submit("/company/reports/2025", data).status_code == 302
    db.session.refresh(report)
    assert report.contracts_na_reason == "We sell only our own rooms: we have no suppliers."
    assert report.policy_focal_person == "Mai Chan"
    assert report.policy_board_approved_on == date(2024, 1, 15)
    page = client.get("/company/reports/2025/preview").get_data(as_text=True)
    assert "3. Contracts</h2>" in page and "Not applicable." in page
    assert "We sell only our own rooms" in page
    assert "Supplier contracts" not in page  # a section that does not apply reads as its reason
    assert "January 15, 2024" in page and "Mai Chan" in page
    assert "Suspected cases reported</h2>" in page and "6. Suspected" not in page
    # The form shows the box ticked and the reason back.
    page = client.get("/company/reports/2025").get_data(as_text=True)
    assert CHECKED in page
    assert "1. Policy and procedures</legend>" in page


def test_the_french_form_names_the_criteria_in_french(client, member_a):
    started(*member_a)
    client.submit("/language", {"language": "fr", "next": "/"})
    page = client.get("/company/reports/2025").get_data(as_text=True)
    assert "1. Politique et procédures" in page
    assert "Ce critère ne concerne pas notre entreprise" in page


def test_reviewers_read_the_reason_and_the_rule(client, auth, reviewer):
    company, owner = member(countries=("TH",))
    report = ready_report(company, owner)
    answers = not_applicable(complete_answers(report), Section.CONTRACTS, "No suppliers.")
    drafting.save_draft(report, answers, owner, report.version)
    services.submit_report(report, owner, report.version, ON)
    db.session.commit()
    auth.login(reviewer.email)
    page = client.get(f"/review/reports/{report.id}").get_data(as_text=True)
    assert "No suppliers." in page
    assert "3. Contracts: implemented (not applicable)" in page
    assert "1. Policy and procedures: implemented" in page


def test_staff_read_how_implementation_is_judged(app, client, auth, reviewer):
    app.config["TRAINING_COVERAGE_MIN"] = 60
    auth.login(reviewer.email)
    page = client.get("/review/reports/implementation").get_data(as_text=True)
    assert "How implementation is judged" in page
    assert "At least 60% of front-line employees" in page
    assert "currently trained, that is trained within the last 2 years" in page
    assert "no front-line employees" in page and "at least 60% of all employees" in page
    assert "<code>TRAINING_COVERAGE_MIN</code></th><td>60</td>" in page
    assert "<code>TRAINING_VALIDITY_YEARS</code></th><td>2</td>" in page
    assert "At least 50% of supplier contracts" in page


def test_suspected_cases_are_never_public(client, reviewer, members):  # noqa: F811
    company = members["late"]
    owner = company.users[0]
    report = ready_report(company, owner, year=2025)
    secret = "A night porter reported guest Z to the tourist police."
    answers = replace(complete_answers(report), cases_reported=3, cases_text=secret)
    drafting.save_draft(report, answers, owner, report.version)
    services.submit_report(report, owner, report.version, ON)
    services.accept_report(report, reviewer, "", report.version)
    db.session.commit()
    for path in (
        f"/signatories/{company.slug}",
        f"/api/v1/signatories/{company.slug}",
        "/api/v1/signatories",
        "/signatories.csv",
        "/countries/TH",
    ):
        text = client.get(path).get_data(as_text=True)
        assert "tourist police" not in text, path
        assert "cases_reported" not in text and "cases_text" not in text, path


def test_demo_reports_give_procedures_and_criteria_not_applicable(runner):
    result = runner.invoke(args=["demo-data", "--companies", "300", "--seed", "5"])
    assert result.exit_code == 0, result.output
    accepted = list(db.session.scalars(select(Report).where(Report.state == ReportState.ACCEPTED)))
    with_procedures = [r for r in accepted if r.policy_focal_person]
    not_applicable_contracts = [r for r in accepted if r.contracts_na_reason]
    assert with_procedures and not_applicable_contracts
    assert all(r.contracts_total is None for r in not_applicable_contracts)
    for report in accepted:  # a submission reads as its report's columns
        content = report.latest_submission.content
        assert content["contracts_na_reason"] == report.contracts_na_reason
        assert content["policy_focal_person"] == report.policy_focal_person
    # The rule and its SQL twin agree on the demo data too.
    met = {
        r.id
        for r in accepted
        if all(recognition.criteria_met(r.latest_submission.content).values())
    }
    ids = [r.id for r in accepted]
    query = select(Report.id).where(Report.id.in_(ids), implementation.criteria_implemented())
    assert set(db.session.scalars(query)) == met
    assert 0 < len(met) < len(accepted)
