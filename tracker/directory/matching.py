"""Matching a supplier's name to the companies that signed The Code, fast and forgivingly.

Names are compared as their *cores* (`name_cores`): folded like every public search, then
without the legal form at either end and without "the" and "and" ("Hôtel São Paulo S.A." and
"Hotel Sao Paulo" are both "hotel sao paulo"; "The Grand Ltd." is "grand").

- The same core without its spaces ("Sea Breeze", "Seabreeze") is an exact match.
- Otherwise names are scored 0-100: half by characters, with the words in any order (typos,
  reordering), half by the words they share, each weighed by how rare it is among members'
  names. A common word on its own ("Hotel") cannot score high against "Hotel São Paulo", while a
  rare one shared ("Lotus" in "Lotus Tours") counts for much.

Nothing here compares a line with 100,000 names. `Index` is built once per data version
(`page_cache.data_version`, which every change of a company moves) from the stored folded names
of every company that ever signed (members and former members: never-signed companies are not
matched at all), with the countries each operates in. A line's candidates are the companies
sharing one of its rarer words, or a word within a typo of one (`similar_words`); rapidfuzz
ranks those, and only the best few are scored in full.
"""

import math
import sys
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain

from flask import current_app
from rapidfuzz import fuzz, process
from sqlalchemy import select

from tracker.companies.models import Company, Membership, Operation
from tracker.directory.name_cores import COMMON_WORDS, compact, core_tokens
from tracker.extensions import db
from tracker.page_cache import data_version

COMMON_SHARE = 0.1
SMALL_REGISTER = 1000  # names a register is weighed as having at least

EXACT = 95  # an exact name match; 100 is kept for a membership number
NEAR = 94  # the most a name that is not exact scores
PRE_RANKED = 10  # candidates scored in full, per line
PRE_RANK_CUTOFF = 30  # rapidfuzz's cheap score below which a candidate is not worth scoring
MAX_POSTINGS = 2000  # a word this common does not find candidates (it still scores)
MAX_POOL = 20_000
SIMILAR_WORD = 80  # rapidfuzz ratio for "the same word, mistyped"
MIN_TYPO_LENGTH = 4  # shorter words must be spelt right to find anything
WORDS_TRIED = 3  # similar words looked up per unknown word


@dataclass(frozen=True)
class Candidate:
    position: int  # in the index
    score: float


class Index:
    """Every signed company's names, their words and membership numbers, by position."""

    def __init__(self, version: str, rows, operations):
        self.version = version
        self.ids: list[int] = []
        self.names: list[tuple[str, ...]] = []  # distinct cores, space-separated
        self.sorted_names: list[tuple[str, ...]] = []  # the same, words in order: to pre-rank
        self.numbers: dict[str, int] = {}
        self.exact: dict[str, list[int]] = defaultdict(list)  # core without spaces -> positions
        self.postings: dict[str, list[int]] = defaultdict(list)  # word -> positions
        for company_id, search_name, number in rows:
            self._add(company_id, search_name, number)
        self.exact, self.postings = dict(self.exact), dict(self.postings)  # lookups add nothing
        self.size = len(self.ids)
        self._weights: dict[str, float] = {}
        self.buckets = self._buckets()
        self.countries = self._countries(operations)

    def _add(self, company_id: int, search_name: str, number: str) -> None:
        position = len(self.ids)
        cores = list(dict.fromkeys(core_tokens(name) for name in search_name.split(" | ")))
        self.ids.append(company_id)
        names = tuple(" ".join(tokens) for tokens in cores)
        self.names.append(names)
        self.sorted_names.append(tuple(map(_words_sorted, cores, names)))
        self.numbers[number] = position
        for key in {compact(tokens) for tokens in cores}:
            self.exact[key].append(position)
        for word in {word for tokens in cores for word in tokens}:
            self.postings[word].append(position)

    def _buckets(self) -> dict[tuple[str, int], list[str]]:
        """Words by first letter and length, and by last letter and length: where a typo of a
        word is looked for (one of its ends is most likely right)."""
        buckets = defaultdict(list)
        for word in self.postings:
            buckets["^" + word[0], len(word)].append(word)
            buckets["$" + word[-1], len(word)].append(word)
        return buckets

    def _countries(self, operations) -> list[tuple[str, ...]]:
        """By position: the countries the company operates in (a few, so tuples, and each code
        one shared string: 100,000 companies' countries take little room)."""
        position_of = {company_id: position for position, company_id in enumerate(self.ids)}
        codes: list[tuple[str, ...]] = [()] * len(self.ids)
        for company_id, code in operations:
            position = position_of.get(company_id)
            if position is not None:
                codes[position] += (sys.intern(code),)
        return codes

    def weight(self, word: str) -> float:
        """Rare words weigh more (inverse document frequency); worked out once per word."""
        weight = self._weights.get(word)
        if weight is None:
            size = max(self.size, SMALL_REGISTER)
            names = len(self.postings.get(word, ()))
            if word in COMMON_WORDS:
                names = max(names, COMMON_SHARE * size)
            weight = self._weights[word] = math.log(1 + size / (1 + names))
        return weight

    def similar_words(self, word: str) -> list[tuple[str, float]]:
        """(word of the index, similarity 0-1): the word itself if known, else its likely typos."""
        if word in self.postings:
            return [(word, 1.0)]
        if len(word) < MIN_TYPO_LENGTH:
            return []
        nearby = {
            other
            for length in (len(word) - 1, len(word), len(word) + 1)
            for key in (("^" + word[0], length), ("$" + word[-1], length))
            for other in self.buckets.get(key, ())
        }
        found = process.extract(
            word, list(nearby), scorer=fuzz.ratio, score_cutoff=SIMILAR_WORD, limit=WORDS_TRIED
        )
        return [(other, score / 100) for other, score, _ in found]

    def candidates(self, tokens: tuple[str, ...]) -> list[Candidate]:
        """The best-scored companies for a core, best first; an exact core scores `EXACT`."""
        exact = self.exact.get(compact(tokens))
        if exact:
            return [Candidate(position, EXACT) for position in exact]
        if all(word in COMMON_WORDS for word in tokens):
            return []  # "Hotels & Resorts" names no one in particular: only exactly
        pool = self._pool(tokens)
        if not pool:
            return []
        # token_sort_ratio, with the names' words sorted once and for all: ratio alone is fast.
        texts = [name for position in pool for name in self.sorted_names[position]]
        owners = [position for position in pool for _ in self.sorted_names[position]]
        query = " ".join(sorted(tokens))
        ranked = process.extract(
            query, texts, scorer=fuzz.ratio, score_cutoff=PRE_RANK_CUTOFF, limit=PRE_RANKED
        )
        best: dict[int, float] = {}
        for _, _, at in ranked:
            position = owners[at]
            if position not in best:
                best[position] = min(self._best_name(tokens, position), NEAR)
        found = [Candidate(position, score) for position, score in best.items()]
        return sorted(found, key=lambda candidate: -candidate.score)

    def _pool(self, tokens: tuple[str, ...]) -> set[int]:
        """Companies sharing a rarer word (or its typo) with the core; when those are many,
        the ones sharing two of them, or else those of the rarest. If every word is in many
        names, those having all of them. A word no one has, beside common ones, finds no one:
        "Xyzzy Hotel" shares only "hotel" with any member, and must not scan every hotel."""
        rare: list[set[int]] = []  # per word: the companies having it, or a typo of it
        common: list[set[int]] = []
        for word in set(tokens):
            few, many = set(), set()
            for other, _ in self.similar_words(word):
                postings = self.postings[other]
                (few if len(postings) <= MAX_POSTINGS else many).update(postings)
            if few:
                rare.append(few)
            else:
                common.append(many)  # empty for a word no one has
        if not rare:
            pool = set.intersection(*common) if common else set()
            return pool if len(pool) <= MAX_POOL else set(sorted(pool)[:MAX_POOL])
        pool = set().union(*rare)
        if len(pool) > MAX_POSTINGS and len(rare) > 1:
            counts = Counter(chain.from_iterable(rare))
            pool = {position for position, shared in counts.items() if shared > 1}
            pool = pool or min(rare, key=len)
        return pool

    def _best_name(self, tokens: tuple[str, ...], position: int) -> float:
        return max(self.similarity(tokens, name) for name in self.names[position])

    def similarity(self, tokens: tuple[str, ...], name: str) -> float:
        """0-100: half the characters (words in any order), half the words weighed by rarity."""
        words = tuple(name.split())
        characters = fuzz.token_sort_ratio(" ".join(tokens), name)
        return (characters + 100 * self._shared(tokens, words)) / 2

    def _shared(self, first: tuple[str, ...], second: tuple[str, ...]) -> float:
        total = shared = 0.0
        for words, others in ((first, second), (second, first)):
            for word in words:
                weight = self.weight(word)
                total += weight
                shared += weight * max(_word_similarity(word, other) for other in others)
        return shared / total if total else 0.0


def _words_sorted(tokens: tuple[str, ...], name: str) -> str:
    """The name with its words in order; the same string when they are (no second copy)."""
    ordered = sorted(tokens)
    return name if ordered == list(tokens) else " ".join(ordered)


def _word_similarity(word: str, other: str) -> float:
    if word == other:
        return 1.0
    ratio = fuzz.ratio(word, other) / 100
    return ratio if ratio * 100 >= SIMILAR_WORD else 0.0


_building = threading.Lock()


def current_index() -> Index:
    """The index for the data as it stands: built on first use after any change, then kept
    (per process: each worker builds its own)."""
    version = data_version()
    store = current_app.extensions.setdefault("supplier_check", {})
    with _building:  # one build at a time; the others wait for it rather than build again
        index = store.get("index")
        if index is None or index.version != version:
            index = store["index"] = build_index(version)
    return index


def build_index(version: str) -> Index:
    """From two queries: the signed companies, and the countries they operate in."""
    signed = select(Company.id, Company.search_name, Membership.number).join(
        Membership, Membership.company_id == Company.id
    )
    operations = (
        select(Operation.company_id, Operation.country_code)
        .join(Membership, Membership.company_id == Operation.company_id)
        .distinct()
    )
    connection = db.session.connection()  # plain rows: no ORM bookkeeping for 100,000 of them
    return Index(version, connection.execute(signed).all(), connection.execute(operations).all())
