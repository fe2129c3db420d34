"""Checking a partner's list of suppliers: each line matched to a company that signed The Code
(`matching`), how sure the match is, and where that company stands today.

The warning that matters most to a tour operator is a supplier that *was* a member: suspended,
withdrawn or expelled companies are matched like members and reported as "not a member" with
the date. Companies that never signed are never matched.

Confidence, 0-100: a membership number is 100 (60 when the name given is another's); an exact
name 95, a near one its score (at most 94). A country given that the company operates in adds
5 (up to 99 for an exact name, 94 for a near one); one it does not operate in takes 15 off.
Labels: exact from 95, likely from 80, possible from 60; below that, no match. People read
plain statements ("Same name", "Similar name: check it is this company"), never the number.

When other companies score within 3 points of the best (three "Davis Hotel"s, and no country
to tell them apart), the line matches none of them: it is ambiguous, counted apart ("check
these") and lists them, at most SHOWN of them, each with its countries and membership number.
That comes from the scores already worked out; the candidates are loaded by the one query that
loads the matches.

The work is a constant number of queries whatever the list's length: the data version (the
index, with the countries each company operates in, is kept until the data changes:
`index_store`), and the matched companies with their public standing (`listing.listed`). The
CPU is bounded too: a line repeated (the same name, country and number) is answered once, the
same name written otherwise ("LOTUS TOURS LTD", "Lotus Tours") is scored once, each line's
candidates are bounded (`matching`), and once the check has used SUPPLIER_CHECK_TIME_BUDGET
seconds of CPU the lines left are reported as not checked rather than matched.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from time import thread_time

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.companies.models import Company
from tracker.companies.naming import folded
from tracker.companies.properties import country_code_for
from tracker.directory.search.listing import listed
from tracker.directory.supplier_check import index_store, matching, supplier_list
from tracker.directory.supplier_check.matching import Candidate
from tracker.directory.supplier_check.name_cores import core_tokens
from tracker.directory.supplier_check.supplier_list import Supplier
from tracker.directory.verify.verification import normalised
from tracker.models_base import LabelledEnum

BY_NUMBER = 100
NAME_DISAGREES = 60  # a known number under a name that is not its company's
NAMES_AGREE = 80
EXACT_CAP, NEAR_CAP = 99, 94  # a name alone is never as sure as a number; a near one never exact
COUNTRY_BONUS, COUNTRY_PENALTY = 5, 15
CLOSE = 3  # companies scoring this close to the best are as likely: the line is ambiguous
SHOWN = 10  # companies listed for an ambiguous line
KEPT = 50  # candidates per line weighed against the country (companies sharing one name)
THRESHOLDS = ((95, "exact"), (80, "likely"), (60, "possible"))


class Label(LabelledEnum):
    EXACT = "exact"
    LIKELY = "likely"
    POSSIBLE = "possible"
    NO_MATCH = "no_match"
    NOT_CHECKED = "not_checked"  # the check's time ran out before this line
    AMBIGUOUS = "ambiguous"  # several companies as likely: the reader checks which one

    @property
    def label(self) -> str:
        return {
            "exact": _l("Same name"),
            "likely": _l("Similar name: check it is this company"),
            "possible": _l("Partly the same name: check it is this company"),
            "no_match": _l("No match"),
            "not_checked": _l("Not checked: time ran out"),
            "ambiguous": _l("Several companies: check which one"),
        }[self.value]

    @classmethod
    def of(cls, confidence: int) -> "Label":
        return next((cls(name) for floor, name in THRESHOLDS if confidence >= floor), cls.NO_MATCH)


class CheckStanding(LabelledEnum):
    """The public standing of a member, or how a former member stopped being one."""

    GOOD = "good_standing"
    OVERDUE = "report_overdue"
    TOP_MEMBER = "top_member"
    MEMBER = "member"  # overdue reports not published (PUBLISH_OVERDUE false)
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPELLED = "expelled"

    @property
    def is_member(self) -> bool:
        return self in (
            CheckStanding.GOOD,
            CheckStanding.OVERDUE,
            CheckStanding.TOP_MEMBER,
            CheckStanding.MEMBER,
        )

    @property
    def tone(self) -> str:
        if self is CheckStanding.OVERDUE:
            return "warning"
        return "success" if self.is_member else "danger"

    @property
    def label(self) -> str:
        return {
            "good_standing": _l("Member in good standing"),
            "top_member": _l("Top Member, in good standing"),
            "report_overdue": _l("Member, annual report overdue"),
            "member": _l("Member"),
            "suspended": _l("Not a member: suspended"),
            "withdrawn": _l("Not a member: withdrew"),
            "expelled": _l("Not a member: expelled"),
        }[self.value]

    def dated(self, since: date) -> str:
        """When it became so, in the reader's language."""
        day = format_date(since, "long")
        if self.is_member:
            return _("Member since %(date)s", date=day)
        return {
            "suspended": _("Suspended since %(date)s", date=day),
            "withdrawn": _("Withdrew on %(date)s", date=day),
            "expelled": _("Expelled on %(date)s", date=day),
        }[self.value]


@dataclass
class Result:
    supplier: Supplier
    company: Company | None = None
    countries: list[str] = field(default_factory=list)
    standing: CheckStanding | None = None
    since: date | None = None
    confidence: int = 0
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    checked: bool = True  # False: the check's time ran out before this line
    top_member_year: int | None = None  # a Top Member: the latest named year (its title)
    by_number: bool = False  # matched by its membership number
    candidates: list["Result"] = field(default_factory=list)  # ambiguous: the likely companies
    exact_names: bool = False  # ambiguous: they all have the name given
    as_likely: int = 0  # ambiguous: how many companies are as likely (SHOWN of them listed)

    @property
    def standing_label(self) -> str:
        if self.standing is CheckStanding.TOP_MEMBER and self.top_member_year is not None:
            return _("Top Member %(year)s, in good standing", year=self.top_member_year)
        return str(self.standing.label) if self.standing is not None else ""

    @property
    def label(self) -> Label:
        if not self.checked:
            return Label.NOT_CHECKED
        if self.candidates:
            return Label.AMBIGUOUS
        return Label.of(self.confidence) if self.company is not None else Label.NO_MATCH

    @property
    def statement(self) -> str:
        """How the line matched, in plain words (no percentage: people read it)."""
        label = self.label
        if label is Label.AMBIGUOUS:
            if self.exact_names:
                return ngettext(
                    "%(num)d company has this name: check which one",
                    "%(num)d companies have this name: check which one",
                    self.as_likely,
                )
            return ngettext(
                "%(num)d company has a name this close: check which one",
                "%(num)d companies have names this close: check which one",
                self.as_likely,
            )
        if self.by_number and label is Label.EXACT:
            return _("Same membership number")
        if self.by_number:
            return _("Same membership number, another name: check it")
        return str(label.label)


@dataclass(frozen=True)
class Summary:
    total: int
    good_standing: int
    report_overdue: int
    former_members: int
    no_match: int
    errors: int
    not_checked: int = 0
    members: int = 0  # members whose reporting standing is not published (PUBLISH_OVERDUE)
    ambiguous: int = 0  # lines with several likely companies: to check


@dataclass(frozen=True)
class Checked:
    results: list[Result]
    summary: Summary


@dataclass
class _Line:
    """A line between the passes: its candidates, scored by name (or number) so far."""

    supplier: Supplier
    country: str | None = None
    candidates: list[Candidate] = field(default_factory=list)
    by_number: bool = False
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    close: list[Candidate] = field(default_factory=list)  # ambiguous: as likely as the best
    as_likely: int = 0  # ambiguous: how many are (`close` lists SHOWN of them)


def check_suppliers(suppliers: list[Supplier], on: date) -> Checked:
    """Every supplier matched, in order; see the module docstring for how."""
    index = index_store.current_index()
    chosen = _chosen(index, suppliers, current_app.config["SUPPLIER_CHECK_TIME_BUDGET"])
    ids = list(
        dict.fromkeys(
            index.ids[candidate.position]
            for line, best in chosen.values()
            for candidate in ([best] if best else line.close)
        )
    )
    found = {item.company.id: item for item in listed(ids, on)}
    results = [
        _result(index, supplier, chosen.get(_key(supplier)), found) for supplier in suppliers
    ]
    return Checked(results, summarise(results))


def _key(supplier: Supplier) -> tuple[str, str, str]:
    return supplier.name, supplier.country, supplier.membership_number


def _chosen(index: matching.Index, suppliers: list[Supplier], budget: float) -> dict:
    """(line, best candidate) by `_key`, each distinct line once, until `budget` seconds of this
    thread's CPU are spent (the index's loading not counted): the lines left have none."""
    deadline = thread_time() + budget
    chosen: dict[tuple[str, str, str], tuple[_Line, Candidate | None]] = {}
    scored: dict[tuple[str, ...], list[Candidate]] = {}  # by core: one scoring per name
    for supplier in suppliers:
        key = _key(supplier)
        if key in chosen:
            continue
        if thread_time() > deadline:
            break
        chosen[key] = _choose(index, _by_name_or_number(index, supplier, scored))
    return chosen


def _by_name_or_number(index: matching.Index, supplier: Supplier, scored: dict) -> _Line:
    error = supplier_list.problem(supplier)
    if error:
        return _Line(supplier, error=error)
    line = _Line(supplier, country=_country(supplier))
    if supplier.country and line.country is None:
        line.notes.append(
            _(
                "Unknown country “%(country)s”: not used.",
                country=supplier_list.shortened(supplier.country),
            )
        )
    name_is_number = normalised(supplier.name) is not None
    tokens = () if name_is_number else core_tokens(folded(supplier.name))
    number_text = supplier.membership_number or (supplier.name if name_is_number else "")
    if number_text and _by_number(index, line, number_text, tokens):
        return line
    if tokens:
        if tokens not in scored:
            scored[tokens] = index.candidates(tokens)[:KEPT]
        line.candidates = scored[tokens]
    return line


def _country(supplier: Supplier) -> str | None:
    return country_code_for(supplier.country) if supplier.country.strip() else None


def _by_number(index: matching.Index, line: _Line, text: str, tokens: tuple[str, ...]) -> bool:
    """Match `line` by its membership number if known; else say why not (False)."""
    number = normalised(text)
    position = index.numbers.get(number) if number else None
    if position is None:
        line.notes.append(
            _("No company has held membership number %(number)s.", number=number)
            if number
            else _("“%(text)s” is not a membership number.", text=supplier_list.shortened(text))
        )
        return False
    score = BY_NUMBER
    if tokens:
        named = max(index.similarity(tokens, name) for name in index.names[position])
        if named < NAMES_AGREE:
            score = NAME_DISAGREES
            line.notes.append(_("This membership number belongs to a company with another name."))
    line.candidates, line.by_number = [Candidate(position, score)], True
    return True


def _choose(index: matching.Index, line: _Line) -> tuple[_Line, Candidate | None]:
    """The best candidate once the country has counted, or None below a possible match."""
    weighed = [_weighed(index, line, candidate) for candidate in line.candidates]
    weighed.sort(key=lambda candidate: -candidate.score)
    if not weighed:
        return line, None
    best = weighed[0]
    if Label.of(round(best.score)) is Label.NO_MATCH:
        return line, None
    close = [other for other in weighed[1:] if other.score >= best.score - CLOSE]
    if close and not line.by_number:
        line.close, line.as_likely = [best, *close][:SHOWN], 1 + len(close)
        line.notes.append(_("Give the country or the membership number to tell them apart."))
        return line, None
    if line.by_number and line.country and line.country not in index.countries[best.position]:
        line.notes.append(_("This company does not list operations in the country given."))
    return line, best


def _weighed(index: matching.Index, line: _Line, candidate: Candidate) -> Candidate:
    if line.by_number or line.country is None:
        return candidate
    there = line.country in index.countries[candidate.position]
    score = candidate.score + (COUNTRY_BONUS if there else -COUNTRY_PENALTY)
    cap = EXACT_CAP if candidate.score >= matching.EXACT else NEAR_CAP
    return replace(candidate, score=min(score, cap))


def _result(index, supplier: Supplier, chosen: tuple | None, found: dict) -> Result:
    if chosen is None:
        return Result(supplier, checked=False)
    line, best = chosen
    result = Result(supplier, notes=list(line.notes), error=line.error, by_number=line.by_number)
    if line.close:
        return _ambiguous(index, result, line, found)
    item = found.get(index.ids[best.position]) if best else None
    if item is None or not item.company.has_membership:
        return result  # no match (or a company gone since the index was built)
    return _matched(result, item, best)


def _ambiguous(index, result: Result, line: _Line, found: dict) -> Result:
    """The likely companies, each as a match of its own (those gone since the index was built
    left out: if one is left, it is the match; if none, there is none)."""
    close, as_likely = line.close, line.as_likely
    items = [(found.get(index.ids[candidate.position]), candidate) for candidate in close]
    kept = [(item, candidate) for item, candidate in items if item and item.company.has_membership]
    if len(kept) < 2:
        result.notes = result.notes[:-1]  # nothing left to tell apart
        return _matched(result, *kept[0]) if kept else result
    result.candidates = [_matched(Result(result.supplier), *pair) for pair in kept]
    result.exact_names = all(candidate.score >= matching.EXACT for candidate in close)
    result.as_likely = as_likely - (len(items) - len(kept))
    return result


def _matched(result: Result, item, best: Candidate) -> Result:
    """`result` matched to the listed `item`, with its standing today."""
    company = item.company
    result.company, result.confidence = company, round(best.score)
    result.countries = sorted({operation.country_code for operation in company.operations})
    if company.is_member:
        result.standing = CheckStanding(item.standing.value)
        result.top_member_year = item.top_member_year
        result.since = company.membership.joined_at.date()
    else:
        result.standing = CheckStanding(company.stage.value)
        result.since = company.membership.standing_since.date()
    return result


def summarise(results: list[Result]) -> Summary:
    standings = [result.standing for result in results if result.company is not None]
    return Summary(
        total=len(results),
        good_standing=sum(s in (CheckStanding.GOOD, CheckStanding.TOP_MEMBER) for s in standings),
        report_overdue=sum(s is CheckStanding.OVERDUE for s in standings),
        former_members=sum(not s.is_member for s in standings),
        no_match=sum(
            r.company is None and r.error is None and r.checked and not r.candidates
            for r in results
        ),
        errors=sum(r.error is not None for r in results),
        not_checked=sum(not r.checked for r in results),
        members=sum(s is CheckStanding.MEMBER for s in standings),
        ambiguous=sum(bool(r.candidates) for r in results),
    )
