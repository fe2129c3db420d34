"""Annual reports for the bulk demo members: every ended year each one owes, in every state.

Rows are plain dicts inserted with one executemany per table and batch, like the companies
(`bulk.py`). Per member the plan gives each ended year a state, or no report at all:

- older years: nearly all accepted; a few members stopped reporting at some year (long
  overdue), a few skipped one year and reported the next (a gap);
- the latest ended year: a mix of accepted, submitted (under review), returned (with the
  reviewer's comment per section), draft, and none; some of those not handed in have an
  extension, still running or already passed;
- a suspended member mostly owes its latest report.

A report handed in has its versions (`ReportSubmission`): one, or a returned one and the next.
Their `content` is made by `content.snapshot` itself, so it reads as a real submission does.
Policy documents are not made (no files): `policy_document` stays None.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from sqlalchemy import insert

from tracker.companies.enums import CompanyType, Standing
from tracker.demo.criteria import criteria_answers
from tracker.extensions import db
from tracker.reports.content import row_key, snapshot
from tracker.reports.models import (
    Report,
    ReportExtension,
    ReportState,
    ReportSubmission,
    ReviewOutcome,
    Section,
    TrainingFormat,
    TrainingRow,
    TravellerChannel,
)
from tracker.reports.periods import ReportingCalendar
from tracker.reports.training import (
    GROUP_COUNTS,
    TRAINED_THIS_YEAR,
    StaffGroup,
    TrainingGroup,
)

ACCEPTED, SUBMITTED = ReportState.ACCEPTED, ReportState.SUBMITTED
RETURNED, DRAFT = ReportState.RETURNED, ReportState.DRAFT
HANDED_IN = (ACCEPTED, SUBMITTED)

# The latest ended year's report (None: none started).
LATEST = {ACCEPTED: 46, SUBMITTED: 16, RETURNED: 8, DRAFT: 12, None: 18}
LATEST_SUSPENDED = {None: 70, DRAFT: 20, RETURNED: 10}
STOPPED = 0.04  # of members owing two years or more: stopped reporting at some year
STOPPED_SUSPENDED = 0.5
SKIPPED = 0.01  # of those with the latest handed in: skipped an older year
EXTENDED = 0.2  # of those owing only the latest year and not handing it in
RETURNED_FIRST = 0.2  # of reports handed in: their first version was returned

# Employees at one property (hotels) or in one country (everyone else): from, to.
EMPLOYEES = {
    CompanyType.HOTEL: (15, 250),
    CompanyType.HOTEL_CHAIN: (40, 400),
    CompanyType.TOUR_OPERATOR: (3, 60),
    CompanyType.TRAVEL_AGENCY: (2, 40),
    CompanyType.AIRLINE: (50, 1500),
    CompanyType.TRANSPORT: (10, 300),
    CompanyType.TOURISM_ASSOCIATION: (2, 20),
    CompanyType.AIRPORT: (100, 2000),
    CompanyType.CRUISE_LINE: (200, 3000),
    CompanyType.ONLINE_PLATFORM: (20, 500),
    CompanyType.VOLUNTEERING_ORGANISATION: (2, 30),
    CompanyType.CORPORATE_TRAVEL_BUYER: (5, 100),
    CompanyType.OTHER: (2, 80),
}
FORMATS = {TrainingFormat.E_LEARNING: 45, TrainingFormat.CLASSROOM: 25, TrainingFormat.BOTH: 30}
# Staff groups are asked from the last GROUPED_YEARS ended years on; older reports keep one
# figure per row (their currently trained = trained, as the migration carried them).
GROUPED_YEARS = 2
# Businesses whose staff are all office staff: no front-line group (criterion 2 then reads
# all staff); a few others are too.
OFFICE_ONLY = {CompanyType.CORPORATE_TRAVEL_BUYER, CompanyType.TOURISM_ASSOCIATION}
OFFICE_ONLY_SHARE = 0.03
# Per staff group: its share of employees (from, to; "other" takes the rest), how its coverage
# differs from the row's, and the share trained in person when a member trains both ways.
FRONT_LINE_SHARE, MANAGEMENT_SHARE = (0.55, 0.8), (0.06, 0.15)
GROUP_COVERAGE = {StaffGroup.FRONT_LINE: 0.05, StaffGroup.MANAGEMENT: 0.1, StaffGroup.OTHER: -0.15}
IN_PERSON_SHARE = {
    StaffGroup.FRONT_LINE: (0.6, 0.85),
    StaffGroup.MANAGEMENT: (0.2, 0.4),
    StaffGroup.OTHER: (0.3, 0.6),
}
HOURS = (1.0, 1.5, 2.0, 2.0, 3.0, 4.0, 6.0, 8.0)
CHANNELS = [channel.value for channel in TravellerChannel if channel is not TravellerChannel.OTHER]
ORGANISATIONS = (
    "ECPAT International",
    "the national ECPAT group",
    "the local tourist police",
    "the Ministry of Tourism",
    "UNICEF's country office",
    "a local child protection NGO",
    "the national child helpline",
    "ChildSafe Movement",
    "the hotel association",
    "the city's social services",
)
ACTIVITIES = (
    "A joint awareness week for staff and guests.",
    "Two training sessions for partner drivers and guides.",
    "Took part in the national child protection round table.",
    "Shared posters and leaflets with our suppliers.",
    "A workshop with the tourist police on reporting procedures.",
    "Sponsored a vocational programme for young people at risk.",
)
TRAVELLER_TEXTS = (
    "A short note on every booking confirmation and on the website's safety page.",
    "Posters at reception and a card in every room.",
    "Guides brief each group on the first day.",
    "A paragraph in the pre-departure information pack.",
)
CASE_TEXTS = (
    "Staff reported a suspicious guest to the national hotline; the police followed up.",
    "A driver alerted the tourist police about a foreign man with a local child.",
    "Front desk staff refused a booking and reported it to the child helpline.",
)
EXTENSION_REASONS = (
    "Floods closed our head office for six weeks.",
    "Our training coordinator left; the new one starts next month.",
    "Change of ownership during the year.",
    "The auditor needs more time for the staff figures.",
)
ACCEPT_COMMENTS = (
    "Thank you for a thorough report.",
    "Good progress on training this year.",
    "Thank you.",
)
RETURN_COMMENTS = (
    "Thank you. A few answers need more detail: see the comments per section.",
    "Nearly there: please look at the sections marked.",
)
SECTION_COMMENTS = {
    Section.POLICY: "Please give the date the board adopted the policy, as on the document.",
    Section.TRAINING: "The numbers trained look low against last year: please check each row.",
    Section.CONTRACTS: "Please count the contracts renewed this year that include the clause.",
    Section.TRAVELLERS: "Please describe how travellers are told, not only where.",
    Section.STAKEHOLDERS: "Please say what you did with these organisations this year.",
    Section.CASES: "Please say to whom each case was reported.",
}


@dataclass(frozen=True)
class Member:
    """A bulk member as the report maker needs it."""

    company_id: int
    owner_id: int
    type: CompanyType
    standing: Standing
    joined: datetime
    places: list[dict]  # its operations: country_code, property_name, city


@dataclass
class Made:
    """One report with its rows: the dicts to insert once the report's id is known."""

    report: dict
    training: list[dict]
    submissions: list[dict]


class ReportMaker:
    """Makes and inserts the reports of the members of one batch at a time."""

    def __init__(
        self, rng: random.Random, calendar: ReportingCalendar, now: datetime, staff_id: int
    ):
        self.random, self.calendar, self.now, self.staff_id = rng, calendar, now, staff_id
        self.today = now.date()
        self.grouped_from = calendar.containing(self.today).year - GROUPED_YEARS

    def load(self, members: list[Member]) -> None:
        made: list[Made] = []
        extensions: list[dict] = []
        for member in members:
            found, extension = self.member_reports(member)
            made += found
            if extension is not None:
                extensions.append(extension)
        if made:
            ids = db.session.scalars(
                insert(Report).returning(Report.id, sort_by_parameter_order=True),
                [item.report for item in made],
            ).all()
            for report_id, item in zip(ids, made, strict=True):
                for row in (*item.training, *item.submissions):
                    row["report_id"] = report_id
            training = [row for item in made for row in item.training]
            submissions = [row for item in made for row in item.submissions]
            if training:
                self._insert_training(training)
            if submissions:
                db.session.execute(insert(ReportSubmission), submissions)
        if extensions:
            db.session.execute(insert(ReportExtension), extensions)

    @staticmethod
    def _insert_training(training: list[dict]) -> None:
        """The rows, then their staff groups (which need the rows' ids)."""
        columns = [{k: v for k, v in row.items() if k != "groups"} for row in training]
        ids = db.session.scalars(
            insert(TrainingRow).returning(TrainingRow.id, sort_by_parameter_order=True), columns
        ).all()
        groups = [
            {**group, "training_id": row_id}
            for row_id, row in zip(ids, training, strict=True)
            for group in row["groups"]
        ]
        if groups:
            db.session.execute(insert(TrainingGroup), groups)

    # -- What each member has --------------------------------------------------------------

    def plan(self, member: Member) -> dict[int, ReportState | None]:
        """The state of each ended year's report the member owes (None: no report)."""
        years = [y.year for y in self.calendar.ended_years(member.joined.date(), self.today)]
        if not years:
            return {}
        suspended = member.standing is Standing.SUSPENDED
        states: dict[int, ReportState | None] = dict.fromkeys(years[:-1], ACCEPTED)
        states[years[-1]] = self._pick(LATEST_SUSPENDED if suspended else LATEST)
        if len(years) > 1:
            if self.random.random() < (STOPPED_SUSPENDED if suspended else STOPPED):
                for year in years[self.random.randrange(len(years) - 1) :]:
                    states[year] = None
            elif states[years[-1]] in HANDED_IN and self.random.random() < SKIPPED:
                states[self.random.choice(years[:-1])] = None
        return states

    def member_reports(self, member: Member) -> tuple[list[Made], dict | None]:
        states = self.plan(member)
        if not states:
            return [], None
        traits = self._traits(member)
        first = min(states)
        made = [
            self._report(member, traits, year, state, year - first)
            for year, state in sorted(states.items())
            if state is not None
        ]
        latest = max(states)
        owes_only_latest = all(states[y] in HANDED_IN for y in states if y != latest)
        extension = None
        if owes_only_latest and states[latest] not in HANDED_IN and self.random.random() < EXTENDED:
            extension = self._extension(member, latest)
        return made, extension

    def _traits(self, member: Member) -> SimpleNamespace:
        """What stays the same from one year to the next."""
        rng = self.random
        low, high = EMPLOYEES[member.type]
        seen, places = set(), []
        for place in member.places:
            if not member.type.has_properties:
                place = {"country_code": place["country_code"], "property_name": None, "city": None}
            key = row_key(place)
            if key not in seen:
                seen.add(key)
                places.append((place, round(low * (high / low) ** rng.random())))
        adopted = rng.random() < 0.92
        adopted_on = member.joined.date() - timedelta(days=rng.randint(-60, 900))
        office_only = member.type in OFFICE_ONLY or rng.random() < OFFICE_ONLY_SHARE
        shares = {StaffGroup.OTHER: 1.0}
        if not office_only:
            front, management = rng.uniform(*FRONT_LINE_SHARE), rng.uniform(*MANAGEMENT_SHARE)
            shares = {
                StaffGroup.FRONT_LINE: front,
                StaffGroup.MANAGEMENT: management,
                StaffGroup.OTHER: 1 - front - management,
            }
        return SimpleNamespace(
            places=places,
            shares=shares,
            in_person={group: rng.uniform(*IN_PERSON_SHARE[group]) for group in StaffGroup},
            carried=rng.uniform(0.3, 0.8),  # of the untrained, trained in the years before
            coverage=rng.uniform(0.25, 0.9),
            format=self._pick(FORMATS),
            hours=rng.choice(HOURS),
            contracts=round(5 * 80 ** rng.random()),
            clause=rng.uniform(0.2, 1.0),
            policy_adopted=adopted,
            policy_adopted_on=adopted_on if adopted else None,
            channels=sorted(rng.sample(CHANNELS, rng.randint(1, 4))),
            organisations=", ".join(rng.sample(ORGANISATIONS, rng.randint(1, 3))),
        )

    # -- One report ---------------------------------------------------------------------------

    def _report(self, member: Member, traits, year: int, state, index: int) -> Made:
        rng = self.random
        answers, training = self._answers(traits, year, index)
        if state is DRAFT:
            answers, training = self._unfinished(answers, training)
        period = self.calendar.year(year)
        started = self._moment(self._at(period.end), 1, 40)
        versions: list[tuple[dict, list[dict], ReviewOutcome | None]] = []
        if state is not DRAFT:
            returned_first = state is RETURNED or rng.random() < RETURNED_FIRST
            if returned_first:
                sections = self._sections_to_comment(answers)
                weak = self._weakened(answers, training, sections)
                versions.append((*weak, ReviewOutcome.RETURNED, sections))
            if state is not RETURNED:
                outcome = ReviewOutcome.ACCEPTED if state is ACCEPTED else None
                versions.append((answers, training, outcome, []))
            else:
                answers, training = weak  # the working copy is still the version returned
        submissions, moment = self._submissions(member, versions, started, period.due, state)
        report = {
            "company_id": member.company_id,
            "year": year,
            "state": state,
            "created_at": started,
            "updated_at": moment,
            "updated_by_id": member.owner_id,
            "submitted_at": submissions[-1]["submitted_at"] if submissions else None,
            "version": 2 + 2 * len(submissions),
            "policy_document": None,
            "policy_document_name": None,
            "policy_document_size": None,
            **answers,
        }
        return Made(report, training, submissions)

    def _answers(self, traits, year: int, index: int) -> tuple[dict, list[dict]]:
        rng = self.random
        training = []
        for place, employees in traits.places:
            employees = max(1, round(employees * (1 + 0.05 * index) * rng.uniform(0.9, 1.1)))
            coverage = min(1.0, max(0.0, traits.coverage + 0.07 * index + rng.uniform(-0.1, 0.1)))
            if year >= self.grouped_from:
                row = self._grouped_row(traits, employees, coverage, index)
            else:
                trained = min(employees, round(employees * coverage))
                row = {
                    "employees": employees,
                    "trained": trained,
                    "current": trained,
                    "format": traits.format if trained else None,
                    "groups": [],
                }
            row["hours"] = traits.hours if row["trained"] else None
            training.append({**place, **row})
        contracts = max(1, round(traits.contracts * rng.uniform(0.9, 1.2)))
        clause = min(1.0, traits.clause + 0.05 * index)
        channels = list(traits.channels)
        other = rng.random() < 0.1
        if other:
            channels.append(TravellerChannel.OTHER.value)
        cases = 0 if rng.random() < 0.85 else rng.randint(1, 4)
        adopted_on = traits.policy_adopted_on
        if adopted_on is not None:
            adopted_on = min(adopted_on, self.calendar.year(year).end)
        answers = {
            "policy_adopted": traits.policy_adopted,
            "policy_adopted_on": adopted_on,
            "contracts_total": contracts,
            "contracts_with_clause": min(contracts, round(contracts * clause)),
            "traveller_channels": channels,
            "travellers_text": rng.choice(TRAVELLER_TEXTS) if other or rng.random() < 0.5 else None,
            "stakeholder_organisations": traits.organisations,
            "stakeholder_activities": rng.choice(ACTIVITIES),
            "cases_reported": cases,
            "cases_text": rng.choice(CASE_TEXTS) if cases else None,
        }
        answers |= criteria_answers(rng, answers, self.calendar.year(year).end)
        return answers, training

    def _grouped_row(self, traits, employees: int, coverage: float, index: int) -> dict:
        """A row given per staff group: front-line staff the most, new training the first
        year and refreshers after, in person or by e-learning as the member trains; the
        currently trained add those trained in the years before (none in the first year)."""
        rng = self.random
        sizes, left = {}, employees
        for group, share in traits.shares.items():
            size = left if group is StaffGroup.OTHER else min(left, round(employees * share))
            sizes[group], left = size, left - size
        refresher = min(0.6, 0.2 * index) * rng.uniform(0.7, 1.1)
        groups = []
        for group, size in sizes.items():
            if not size:
                continue  # a group the member has none of is left blank
            share = min(1.0, max(0.0, coverage + GROUP_COVERAGE[group]))
            trained = round(size * share)
            again = round(trained * refresher)
            in_person = {
                TrainingFormat.CLASSROOM: 1.0,
                TrainingFormat.E_LEARNING: 0.0,
                TrainingFormat.BOTH: traits.in_person[group],
            }[traits.format]
            new_in_person = round((trained - again) * in_person)
            again_in_person = round(again * in_person)
            carried = round((size - trained) * traits.carried) if index else 0
            groups.append(
                {
                    "staff_group": group,
                    "employees": size,
                    "new_in_person": new_in_person,
                    "new_e_learning": trained - again - new_in_person,
                    "refresher_in_person": again_in_person,
                    "refresher_e_learning": again - again_in_person,
                    "current": trained + carried,
                }
            )
        return _totals(groups)

    def _unfinished(self, answers: dict, training: list[dict]) -> tuple[dict, list[dict]]:
        """A draft: some answers given, some not yet."""
        rng = self.random
        answers = dict(answers)
        for names in (
            ("contracts_total", "contracts_with_clause"),
            ("stakeholder_organisations", "stakeholder_activities"),
            ("cases_reported", "cases_text"),
            ("travellers_text",),
        ):
            if rng.random() < 0.4:
                answers.update(dict.fromkeys(names))
        if rng.random() < 0.3:
            answers["traveller_channels"] = []
        blank = dict.fromkeys(("employees", "trained", "current", "format", "hours"))
        blank["groups"] = []
        training = [row | blank if rng.random() < 0.4 else row for row in training]
        return answers, training

    def _sections_to_comment(self, answers: dict) -> list[Section]:
        """One to three sections a reviewer asks more of (none about an answer not given)."""
        candidates = [Section.TRAINING, Section.CONTRACTS, Section.TRAVELLERS]
        candidates.append(Section.STAKEHOLDERS)
        if answers["policy_adopted_on"]:
            candidates.append(Section.POLICY)
        if answers["cases_reported"]:
            candidates.append(Section.CASES)
        chosen = self.random.sample(candidates, self.random.randint(1, 3))
        return sorted(chosen, key=list(Section).index)

    def _weakened(self, answers: dict, training: list[dict], sections: list[Section]):
        """A first version the reviewer returned, with what the comments on `sections` ask."""
        answers, training = dict(answers), [dict(row) for row in training]
        for section in sections:
            if section is Section.POLICY:
                answers["policy_adopted_on"] -= timedelta(days=self.random.randint(30, 400))
            elif section is Section.TRAINING:
                training = [_halved(row) for row in training]
            elif section is Section.CONTRACTS and answers["contracts_with_clause"]:
                answers["contracts_with_clause"] //= 3
            elif section is Section.TRAVELLERS:
                answers["traveller_channels"] = answers["traveller_channels"][:1]
                answers["travellers_text"] = None
            elif section is Section.STAKEHOLDERS:
                answers["stakeholder_activities"] = None
            elif section is Section.CASES:
                answers["cases_text"] = "Reported."
        return answers, training

    def _submissions(self, member: Member, versions, started: datetime, due: date, state):
        """The versions' rows, from `started` on; and the moment of the last event."""
        rows, moment = [], started
        for number, (answers, training, outcome, sections) in enumerate(versions, start=1):
            if number == 1:
                # Most hand in by the due date; one still under review came in lately.
                latest = self._at(due) + timedelta(days=30)
                if state is SUBMITTED and len(versions) == 1:
                    latest = self.now
                moment = self._moment(moment, 0, max(1, (latest - moment).days))
            else:
                moment = self._moment(moment, 3, 30)
            submitted = moment
            decided = None
            if outcome is not None:
                decided = moment = self._moment(moment, 2, 40)
            rows.append(
                {
                    "number": number,
                    "submitted_at": submitted,
                    "submitted_by_id": member.owner_id,
                    "content": self._content(answers, training),
                    "outcome": outcome,
                    "decided_at": decided,
                    "decided_by_id": self.staff_id if outcome else None,
                    "comments": {s.value: SECTION_COMMENTS[s] for s in sections},
                    "comment": self._decision_comment(outcome),
                }
            )
        if not versions:  # a draft: saved now and then since it was started
            moment = self._moment(moment, 0, 200)
        return rows, moment

    def _decision_comment(self, outcome: ReviewOutcome | None) -> str | None:
        if outcome is ReviewOutcome.RETURNED:
            return self.random.choice(RETURN_COMMENTS)
        if outcome is ReviewOutcome.ACCEPTED and self.random.random() < 0.5:
            return self.random.choice(ACCEPT_COMMENTS)
        return None

    @staticmethod
    def _content(answers: dict, training: list[dict]) -> dict:
        """`content.snapshot` of a report with these answers: the very format of a submission,
        each row with its currently trained and staff groups."""
        rows = [_Row(row) for row in training]
        report = SimpleNamespace(**answers, policy_document_name=None, training=rows)
        content = snapshot(report)
        for given, row in zip(content["training"], training, strict=True):
            given.setdefault("current", row["current"])
            given.setdefault(
                "groups",
                [group | {"staff_group": group["staff_group"].value} for group in row["groups"]],
            )
        return content

    def _extension(self, member: Member, year: int) -> dict:
        """A later due date for `year`: still running for some, passed for others."""
        due = self.calendar.year(year).due
        if self.today <= due:
            later = due + timedelta(days=self.random.randint(30, 120))
        else:
            later = max(
                due + timedelta(days=14), self.today + timedelta(self.random.randint(-150, 100))
            )
        granted = min(self._at(due) - timedelta(days=self.random.randint(0, 20)), self.now)
        return {
            "company_id": member.company_id,
            "year": year,
            "due_on": later,
            "reason": self.random.choice(EXTENSION_REASONS),
            "granted_by_id": self.staff_id,
            "granted_at": granted,
        }

    # -- Helpers --------------------------------------------------------------------------

    def _pick(self, weights: dict):
        return self.random.choices(list(weights), weights=list(weights.values()))[0]

    @staticmethod
    def _at(day: date) -> datetime:
        return datetime.combine(day, time(9), UTC)

    def _moment(self, after: datetime, low: int, high: int) -> datetime:
        """A moment `low` to `high` days after `after` (in office hours), never after now."""
        later = after + timedelta(
            days=self.random.randint(low, high), minutes=self.random.randint(0, 480)
        )
        return min(later, self.now)


def _totals(groups: list[dict]) -> dict:
    """A row's totals and format from its staff groups, summed by `TrainingRow.add_up` itself
    (the one place they are summed), and the groups."""
    row = TrainingRow()
    for given in groups:
        group = row.group(given["staff_group"])
        for name in GROUP_COUNTS:
            setattr(group, name, given[name])
    row.add_up()
    totals = {name: getattr(row, name) for name in ("employees", "trained", "current", "format")}
    return totals | {"groups": groups}


def _halved(row: dict) -> dict:
    """A row as a first version returned for its training figures gave it: half as many
    trained this year (the currently trained of a row without groups with them)."""
    if not row["groups"]:
        trained = row["trained"] // 2 if row["trained"] else row["trained"]
        return row | {"trained": trained, "current": trained}
    groups = [
        group | {name: group[name] // 2 for name in TRAINED_THIS_YEAR} for group in row["groups"]
    ]
    return row | _totals(groups)


class _Row:
    """A training row dict read as `snapshot` reads a TrainingRow (its format an enum, its
    groups TrainingGroups)."""

    __slots__ = (
        "country_code",
        "property_name",
        "city",
        "employees",
        "trained",
        "format",
        "hours",
        "current",
        "groups",
    )

    def __init__(self, row: dict):
        for name in self.__slots__:
            setattr(self, name, row[name])
        self.groups = [TrainingGroup(**group) for group in row["groups"]]
