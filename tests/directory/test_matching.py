"""Matching suppliers' names to companies that signed The Code: names, numbers, countries."""

from datetime import UTC, date, datetime

import pytest

from tests.factories import CompanyFactory
from tests.fixtures.sql import sql_statements
from tests.reports.helpers import member, top_member
from tracker.companies.enums import ApplicationStatus, Stage
from tracker.companies.naming import folded
from tracker.directory.supplier_check import checking, matching
from tracker.directory.supplier_check.checking import CheckStanding, Label, check_suppliers
from tracker.directory.supplier_check.name_cores import core_tokens
from tracker.directory.supplier_check.supplier_list import Supplier, from_csv, from_text
from tracker.extensions import db
from tracker.reports import recognition
from tracker.reports.services import today


def signed(display_name: str, legal_name: str = "", countries=("TH",), **kwargs):
    """A company that signed The Code (a member unless `stage` says otherwise), joined today."""
    kwargs.setdefault("stage", Stage.ACTIVE)
    return CompanyFactory(
        display_name=display_name,
        legal_name=legal_name or display_name + " Ltd",
        countries=countries,
        **kwargs,
    )


def one(name: str = "", country: str = "", number: str = ""):
    return check_suppliers([Supplier(1, name, country, number)], today()).results[0]


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("Hôtel São Paulo S.A.", "hotel sao paulo"),
        ("MÜLLER REISEN GMBH", "muller reisen"),
        ("The Grand Ltd.", "grand"),
        ("Smith & Jones Co., Ltd.", "smith jones"),
        ("PT Bali Tours", "bali tours"),
        ("Hoteles Sol, S. de R.L. de C.V.", "hoteles sol"),
        ("Andaman Sea Hotels Co., Ltd.", "andaman sea hotels"),
        ("Roma Viaggi S.p.A.", "roma viaggi"),
        ("Lotus Spa", "lotus spa"),  # a spa, not a società per azioni
        ("Limited", "limited"),  # a name that is all legal form stays whole
        ("", ""),
    ],
)
def test_names_are_compared_without_accents_case_or_legal_form(name, core):
    assert " ".join(core_tokens(folded(name))) == core


@pytest.mark.parametrize(
    ("given", "display_name", "legal_name"),
    [
        ("Hôtel São Paulo S.A.", "Hotel Sao Paulo", "HSP Hoteleira Ltda"),
        ("MÜLLER REISEN GMBH", "Müller Reisen", "Müller Reisen GmbH & Co. KG"),
        ("The Grand Ltd.", "Grand", "Grand Hospitality Ltd"),
        ("Sea Breeze", "Seabreeze Resort", "Seabreeze S.L."),
        ("Andaman Sea Hotels Company Limited", "Andaman Hotels", "Andaman Sea Hotels Co., Ltd."),
    ],
)
def test_the_same_name_written_otherwise_is_an_exact_match(given, display_name, legal_name):
    company = signed(display_name, legal_name)
    result = one(given)
    assert result.company.id == company.id
    assert (result.confidence, result.label) == (95, Label.EXACT)


@pytest.mark.parametrize(
    ("given", "label"),
    [
        ("Lotus Tuors", Label.LIKELY),  # a typo
        ("Lotsu Tours", Label.LIKELY),
        ("Tours Lotus", Label.LIKELY),  # words in another order
        ("Lotus", Label.POSSIBLE),  # part of the name: worth a look, no more
    ],
)
def test_near_names_match_with_less_confidence(given, label):
    company = signed("Lotus Tours")
    signed("Sunset Hotel")
    result = one(given)
    assert result.company.id == company.id
    assert result.label is label
    assert result.confidence < 95


@pytest.mark.parametrize("given", ["Hotel", "Hotels & Resorts", "Sunrise Hotel", "Tours"])
def test_common_words_alone_do_not_match(given):
    signed("Hotel São Paulo")
    signed("Sunset Hotel")
    signed("Grand Hotels & Resorts")
    signed("Lotus Tours")
    result = one(given)
    assert (result.company, result.label, result.confidence) == (None, Label.NO_MATCH, 0)


@pytest.mark.parametrize("given", ["TC-900123", "tc 900123", "900123", "TC900123"])
def test_a_membership_number_matches_whatever_its_form(given):
    company = signed("Lotus Tours", membership_number="TC-900123")
    for result in (one(number=given), one(name=given)):
        assert result.company.id == company.id
        assert (result.confidence, result.label) == (100, Label.EXACT)


def test_a_number_under_another_name_is_only_possible_and_says_so():
    company = signed("Lotus Tours", membership_number="TC-900123")
    result = one("Sunrise Adventures", number="TC-900123")
    assert result.company.id == company.id
    assert (result.confidence, result.label) == (60, Label.POSSIBLE)
    assert result.statement == "Same membership number, another name: check it"
    assert result.notes == ["This membership number belongs to a company with another name."]
    assert one("Lotus Tours Co. Ltd", number="TC-900123").confidence == 100


def test_an_unknown_number_is_said_and_the_name_still_matches():
    company = signed("Lotus Tours")
    result = one("Lotus Tours", number="TC-999999")
    assert result.company.id == company.id
    assert result.notes == ["No company has held membership number TC-999999."]
    assert one(number="not a number").notes == ["“not a number” is not a membership number."]


def test_the_country_tells_companies_of_one_name_apart():
    thai = signed("Lotus Tours", countries=("TH", "KH"))
    french = signed("Lotus Tours", "Lotus Tours SARL", countries=("FR",))
    ambiguous = one("Lotus Tours")
    assert (ambiguous.company, ambiguous.label) == (None, Label.AMBIGUOUS)
    assert {candidate.company.id for candidate in ambiguous.candidates} == {thai.id, french.id}
    in_france = one("Lotus Tours", "France")
    assert (in_france.company.id, in_france.confidence, in_france.notes) == (french.id, 99, [])
    assert one("Lotus Tours", "KH").company.id == thai.id
    assert one("Lotus Tours", "Tailandia").company.id == thai.id  # Spanish


@pytest.fixture()
def davis_hotels():
    """Three members called Davis Hotel, in Britain, Ireland and the United States."""
    return [
        signed("Davis Hotel", f"Davis Hotel {country} Ltd", countries=(country,), **kwargs)
        for country, kwargs in (
            ("GB", {"membership_number": "TC-000301"}),
            ("IE", {"membership_number": "TC-000302"}),
            ("US", {"membership_number": "TC-000303", "stage": Stage.SUSPENDED}),
        )
    ]


def test_a_name_several_companies_have_is_to_check_not_a_member(davis_hotels):
    checked = check_suppliers([Supplier(1, "Davis Hotel"), Supplier(2, "Lotus Tours")], today())
    davis = checked.results[0]
    assert (davis.company, davis.standing, davis.label) == (None, None, Label.AMBIGUOUS)
    assert davis.statement == "3 companies have this name: check which one"
    assert davis.notes == ["Give the country or the membership number to tell them apart."]
    shown = {
        (c.company.membership_number, tuple(c.countries), c.standing) for c in davis.candidates
    }
    assert shown == {
        ("TC-000301", ("GB",), CheckStanding.GOOD),
        ("TC-000302", ("IE",), CheckStanding.GOOD),
        ("TC-000303", ("US",), CheckStanding.SUSPENDED),
    }
    summary = checked.summary
    assert (summary.ambiguous, summary.good_standing, summary.former_members) == (1, 0, 0)
    assert (summary.no_match, summary.total) == (1, 2)


def test_the_country_given_chooses_among_namesakes(davis_hotels):
    british = one("Davis Hotel", "GB")
    assert (british.company.id, british.label, british.candidates) == (
        davis_hotels[0].id,
        Label.EXACT,
        [],
    )
    assert british.statement == "Same name"
    assert one("Davis Hotel Ltd", "Ireland").company.id == davis_hotels[1].id
    assert one(number="TC-000302").statement == "Same membership number"
    # A country none of them is in tells them no further apart.
    assert len(one("Davis Hotel", "Japan").candidates) == 3


def test_near_names_as_close_as_each_other_are_to_check_too():
    signed("Lotus Tours Krabi", countries=("TH",))
    signed("Lotus Tours Paris", countries=("FR",))
    result = one("Lotus Tours")
    assert result.label is Label.AMBIGUOUS and len(result.candidates) == 2
    assert result.statement == "2 companies have names this close: check which one"


def test_a_unique_name_is_a_member_in_plain_words():
    company = signed("Orchid Journeys")
    result = one("Orchid Journeys Co. Ltd")
    assert (result.company.id, result.label, result.candidates) == (company.id, Label.EXACT, [])
    assert result.statement == "Same name"
    assert check_suppliers([Supplier(1, "Orchid Journeys")], today()).summary.good_standing == 1
    assert one("Orchid Journeyz").statement == "Similar name: check it is this company"


def test_namesakes_are_listed_up_to_a_bound(monkeypatch):
    monkeypatch.setattr(checking, "SHOWN", 2)
    for country in ("GB", "IE", "US"):
        signed("Davis Hotel", countries=(country,))
    result = one("Davis Hotel")
    assert len(result.candidates) == 2 and result.label is Label.AMBIGUOUS
    assert result.statement == "3 companies have this name: check which one"


def test_a_country_it_does_not_operate_in_lowers_the_confidence():
    signed("Lotus Tours", countries=("TH",))
    assert one("Lotus Tours", "Japan").confidence == 80
    assert one("Lotus Tuors", "TH").confidence > one("Lotus Tuors").confidence
    unknown = one("Lotus Tours", "Atlantis")
    assert unknown.confidence == 95
    assert unknown.notes == ["Unknown country “Atlantis”: not used."]


@pytest.mark.parametrize(
    ("stage", "standing"),
    [
        (Stage.SUSPENDED, CheckStanding.SUSPENDED),
        (Stage.WITHDRAWN, CheckStanding.WITHDRAWN),
        (Stage.EXPELLED, CheckStanding.EXPELLED),
    ],
)
def test_former_members_are_matched_and_flagged(stage, standing):
    company = signed("Gone Hotels", stage=stage)
    company.membership.standing_since = datetime(2026, 3, 3, 12, tzinfo=UTC)
    db.session.commit()
    result = one("Gone Hotels")
    assert result.company.id == company.id
    assert (result.standing, result.since) == (standing, date(2026, 3, 3))
    assert not result.standing.is_member


@pytest.mark.parametrize(
    "status", [ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED, ApplicationStatus.REJECTED]
)
def test_companies_that_never_signed_are_not_matched(status):
    CompanyFactory(display_name="Never Signed Tours", status=status, stage=Stage(status.value))
    assert one("Never Signed Tours").company is None


def test_members_show_their_public_standing(reviewer):
    good = signed("Good Tours")
    # Named a Top Member of 2025, the latest named year.
    top, owner = member(joined=date(2024, 5, 1), display_name="Top Tours")
    top_member(top, owner, reviewer)
    # Named for 2025, its title then withdrawn: not a Top Member, for anyone.
    lapsed, owner = member(joined=date(2024, 5, 1), display_name="Lapsed Tours")
    top_member(lapsed, owner, reviewer)
    recognition.withdraw_title(lapsed, 2025, reviewer, "Complaint")
    db.session.commit()
    late, _owner = member(joined=date(2024, 5, 1), display_name="Late Tours")
    checked = check_suppliers(
        [
            Supplier(n, name)
            for n, name in enumerate(["Good Tours", "Top Tours", "Late Tours", "Lapsed Tours"])
        ],
        today(),
    )
    standings = [(r.company.id, r.standing, r.since) for r in checked.results]
    assert checked.results[1].standing_label == "Top Member 2025, in good standing"
    assert standings == [
        (good.id, CheckStanding.GOOD, today()),
        (top.id, CheckStanding.TOP_MEMBER, date(2024, 5, 1)),
        (late.id, CheckStanding.OVERDUE, date(2024, 5, 1)),
        (lapsed.id, CheckStanding.GOOD, date(2024, 5, 1)),
    ]


def test_the_summary_counts_each_kind_of_line():
    signed("Good Tours")
    signed("Gone Tours", stage=Stage.SUSPENDED)
    member(joined=date(2024, 5, 1), display_name="Late Tours")
    lines = ["Good Tours", "Gone Tours", "Late Tours", "Nobody Known", "x" * 301, "=1+1"]
    checked = check_suppliers([Supplier(n, name) for n, name in enumerate(lines)], today())
    summary = checked.summary
    assert (summary.total, summary.good_standing, summary.report_overdue) == (6, 1, 1)
    assert (summary.former_members, summary.no_match, summary.errors) == (1, 1, 2)
    errors = [result.error for result in checked.results[4:]]
    assert errors == [
        "This line is longer than 300 characters: shorten it.",
        "This looks like a spreadsheet formula, not a name.",
    ]


def test_the_index_follows_changes_to_the_data():
    company = signed("Lotus Tours")
    assert one("Lotus Tours").company.id == company.id
    company.display_name, company.legal_name = "Orchid Journeys", "Orchid Journeys Ltd"
    db.session.commit()
    assert one("Lotus Tours").company is None
    assert one("Orchid Journeys").company.id == company.id


def test_the_queries_do_not_grow_with_the_list():
    for n in range(30):
        signed(f"Company{n} Tours", countries=("TH", "FR"))
    signed("Gone Tours", stage=Stage.EXPELLED)
    check_suppliers([Supplier(1, "warm the index")], today())

    def statements(count: int) -> int:
        suppliers = [Supplier(n, f"Company{n} Tours", "France") for n in range(count)]
        suppliers.append(Supplier(count + 1, "Gone Tours", membership_number="TC-999999"))
        with sql_statements() as sent:
            checked = check_suppliers(suppliers, today())
        assert all(result.company is not None for result in checked.results)
        return len(sent)

    assert statements(2) == statements(30)


def test_pasted_lines_are_read_cell_by_cell():
    text = (
        "Name;Country\r\n"  # column titles: skipped
        "Smith, Jones & Co., Ltd.\n"
        "\n"
        "Lotus Tours\tThailand\tTC-000123\n"
        '"Hotel, Sao Paulo", BR\n'
        "Roma Viaggi, S.A., Italia\n"
        '\'=HYPERLINK("x"), FR\n'
    )
    assert from_text(text) == [
        Supplier(2, "Smith, Jones & Co., Ltd."),
        Supplier(4, "Lotus Tours", "Thailand", "TC-000123"),
        Supplier(5, "Hotel, Sao Paulo", "BR"),
        Supplier(6, "Roma Viaggi, S.A.", "Italia"),
        Supplier(7, '=HYPERLINK("x")', "FR"),
    ]


def test_a_csv_file_is_read_with_its_own_separator():
    text = "\ufeffNom;Pays;Numéro\nHôtel Dupont, SARL;France;\nLotus Tours;TH;tc 123\n"
    assert from_csv(text) == [
        Supplier(2, "Hôtel Dupont, SARL", "France"),
        Supplier(3, "Lotus Tours", "TH", "tc 123"),
    ]


# Bounded work (a list crafted to be slow must not hold a worker) -----------------------------


def test_a_name_repeated_or_written_otherwise_is_scored_once(monkeypatch):
    company = signed("Lotus Tours")
    calls = []
    candidates = matching.Index.candidates

    def counted(self, tokens):
        calls.append(tokens)
        return candidates(self, tokens)

    monkeypatch.setattr(matching.Index, "candidates", counted)
    text = "\n".join(["Lotus Tuors"] * 500 + ["LOTUS TUORS", "Lotus Tuors Ltd", "Lotus Tuors, TH"])
    checked = check_suppliers(from_text(text), today())
    assert calls == [("lotus", "tuors")]
    assert {result.company.id for result in checked.results} == {company.id}
    assert [result.supplier.line for result in checked.results] == list(range(1, 504))
    assert checked.results[-1].confidence > checked.results[0].confidence  # the country counted


def test_a_line_ranks_a_bounded_number_of_candidates(monkeypatch):
    wanted = signed("Smith Lotus")
    for n in range(30):
        signed(f"Smith Tours {n}")
    monkeypatch.setattr(matching, "MAX_POOL", 5)
    ranked = []
    extract = matching.process.extract

    def counted(query, choices, **kwargs):
        if kwargs["score_cutoff"] == matching.PRE_RANK_CUTOFF:  # names, not a word's typos
            ranked.append(len(choices))
        return extract(query, choices, **kwargs)

    monkeypatch.setattr(matching.process, "extract", counted)
    assert one("Smiht Lotus").company.id == wanted.id  # sharing two words, it is in the pool
    one("Smith Tuors")  # 30 companies share "smith"
    assert len(ranked) == 2 and max(ranked) <= 5 * 2  # five companies, two names each


def test_lines_past_the_time_budget_are_not_checked(app, monkeypatch):
    company = signed("Lotus Tours")
    signed("Orchid Journeys")
    clock = iter(range(100))
    monkeypatch.setattr(checking, "thread_time", lambda: next(clock))
    monkeypatch.setitem(app.config, "SUPPLIER_CHECK_TIME_BUDGET", 2.5)
    names = ["Lotus Tours", "Nobody Known", "Orchid Journeys", "Smith Hotel", "Lotus Tours"]
    checked = check_suppliers([Supplier(n, name) for n, name in enumerate(names, 1)], today())
    labels = [result.label for result in checked.results]
    assert labels == [
        Label.EXACT,
        Label.NO_MATCH,
        Label.NOT_CHECKED,
        Label.NOT_CHECKED,
        Label.EXACT,
    ]
    assert checked.results[-1].company.id == company.id  # a line already answered still is
    assert [result.company for result in checked.results[2:4]] == [None, None]
    summary = checked.summary
    assert (summary.total, summary.good_standing, summary.no_match) == (5, 2, 1)
    assert summary.not_checked == 2
