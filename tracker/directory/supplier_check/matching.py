"""Matching a supplier's name to the companies that signed The Code, fast and forgivingly.

Names are compared as their *cores* (`name_cores`): folded like every public search, then
without the legal form at either end and without "the" and "and" ("Hôtel São Paulo S.A." and
"Hotel Sao Paulo" are both "hotel sao paulo"; "The Grand Ltd." is "grand").

- The same core without its spaces ("Sea Breeze", "Seabreeze") is an exact match.
- Otherwise names are scored 0-100: half by characters, with the words in any order (typos,
  reordering), half by the words they share, each weighed by how rare it is among members'
  names. A common word on its own ("Hotel") cannot score high against "Hotel São Paulo", while a
  rare one shared ("Lotus" in "Lotus Tours") counts for much.

Nothing here compares a line with 100,000 names, and no line costs more than a bounded amount
of work, whatever it holds: a line's candidates are at most MAX_POOL companies sharing one of
its rarer words (or a word within a typo of one: `similar_words`, for at most TYPO_WORDS of its
words), read from the start of each word's postings, which list the companies with the shortest
names first; rapidfuzz ranks those, and only the best few are scored in full, on at most
MAX_WORDS of the line's words. `Index` is built once per data version from the stored folded
names of every company that ever signed (members and former members: never-signed companies
are not matched at all), with the countries each operates in; `index_store` keeps it in a file
every worker loads.
"""

import math
import sys
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import accumulate, chain, islice
from operator import mul

from rapidfuzz import fuzz, process
from sqlalchemy import select

from tracker.companies.models import Company, Membership
from tracker.companies.operations import Operation
from tracker.directory.supplier_check.name_cores import COMMON_WORDS, compact, core_tokens
from tracker.extensions import db

COMMON_SHARE = 0.1
SMALL_REGISTER = 1000  # names a register is weighed as having at least

EXACT = 95  # an exact name match; 100 is kept for a membership number
NEAR = 94  # the most a name that is not exact scores
MAX_EXACT = 50  # companies of one exact name weighed against the country
PRE_RANKED = 6  # candidates scored in full, per line
PRE_RANK_CUTOFF = 30  # rapidfuzz's cheap score below which a candidate is not worth scoring
MAX_POSTINGS = 2000  # a word this common does not find candidates (it still scores)
MAX_POOL = 150  # candidates ranked per line
SCAN = 1200  # postings read per line, shared by its words: those with the shortest names first
MAX_WORDS = 6  # a line's words that find and score candidates (names are rarely longer)
TYPO_WORDS = 3  # unknown words per line looked up as typos (the longest)
SIMILAR_WORD = 80  # rapidfuzz ratio for "the same word, mistyped"
MIN_TYPO_LENGTH = 4  # shorter words must be spelt right to find anything
WORDS_TRIED = 3  # similar words looked up per unknown word


@dataclass(frozen=True)
class Candidate:
    position: int  # in the index
    score: float


class Index:
    """Every signed company's names, their words and membership numbers, by position. Plain
    lists, dicts and strings: it is pickled once per data version and loaded by every worker."""

    def __init__(self, version: str, rows, operations):
        self.version = version
        self.ids: list[int] = []
        self.names: list[tuple[str, ...]] = []  # distinct cores, space-separated
        self.sorted_names: list[tuple[str, ...]] = []  # the same, words in order: to pre-rank
        self.words: list[str] = []  # " every word of every core ": to test "has all of them"
        self.numbers: dict[str, int] = {}
        exact: dict[str, list[int]] = defaultdict(list)  # core without spaces -> positions
        postings: dict[str, list[int]] = defaultdict(list)  # word -> positions
        for company_id, search_name, number in rows:
            self._add(company_id, search_name, number, exact, postings)
        self.exact = dict(exact)
        self.postings = {
            word: self._shortest_first(word, found) for word, found in postings.items()
        }
        self.size = len(self.ids)
        self.weights = {word: self._weight(word) for word in self.postings}
        # The companies of each word too common to find candidates, as sets: which of a rarer
        # word's companies also have it is then a test in C, not a scan of its thousands.
        self.having = {
            word: frozenset(found)
            for word, found in self.postings.items()
            if len(found) > MAX_POSTINGS
        }
        self.buckets = self._buckets()
        self.countries = self._countries(operations)

    def _add(self, company_id: int, search_name: str, number: str, exact, postings) -> None:
        position = len(self.ids)
        cores = list(dict.fromkeys(core_tokens(name) for name in search_name.split(" | ")))
        self.ids.append(company_id)
        names = tuple(" ".join(tokens) for tokens in cores)
        self.names.append(names)
        self.sorted_names.append(tuple(map(_words_sorted, cores, names)))
        self.words.append(f" {' '.join(names)} ")
        self.numbers[number] = position
        for key in {compact(tokens) for tokens in cores}:
            exact[key].append(position)
        for word in {word for tokens in cores for word in tokens}:
            postings[word].append(position)

    def _shortest_first(self, word: str, positions: list[int]) -> list[int]:
        """A word's companies, those whose name holding it is shortest first: the start of the
        list is where a short query is likeliest to find its company."""

        def length(position: int) -> int:
            return min(len(name) for name in self.names[position] if f" {word} " in f" {name} ")

        return sorted(positions, key=length) if len(positions) > MAX_POOL else positions

    def _buckets(self) -> dict[tuple[str, int], list[str]]:
        """Words by first letter and length, and by last letter and length: where a typo of a
        word is looked for (one of its ends is most likely right)."""
        buckets = defaultdict(list)
        for word in self.postings:
            buckets["^" + word[0], len(word)].append(word)
            buckets["$" + word[-1], len(word)].append(word)
        return dict(buckets)

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

    def _weight(self, word: str) -> float:
        """Rare words weigh more (inverse document frequency)."""
        size = max(self.size, SMALL_REGISTER)
        names = len(self.postings.get(word, ()))
        if word in COMMON_WORDS:
            names = max(names, COMMON_SHARE * size)
        return math.log(1 + size / (1 + names))

    def weight(self, word: str) -> float:
        """Worked out once per word of the index; a word no member has is not kept (a line's
        words must not make the index grow)."""
        weight = self.weights.get(word)
        return self._weight(word) if weight is None else weight

    def similar_words(self, word: str) -> list[tuple[str, float]]:
        """(word of the index, similarity 0-1): the word itself if known, else its likely typos."""
        if word in self.postings:
            return [(word, 1.0)]
        if len(word) < MIN_TYPO_LENGTH:
            return []
        nearby = [
            other
            for length in (len(word) - 1, len(word), len(word) + 1)
            for key in (("^" + word[0], length), ("$" + word[-1], length))
            for other in self.buckets.get(key, ())
        ]
        found = process.extract(
            word, nearby, scorer=fuzz.ratio, score_cutoff=SIMILAR_WORD, limit=2 * WORDS_TRIED
        )
        best = dict.fromkeys(other for other, _, _ in found)  # a word is in two buckets
        return [(other, fuzz.ratio(word, other) / 100) for other in islice(best, WORDS_TRIED)]

    def candidates(self, tokens: tuple[str, ...]) -> list[Candidate]:
        """The best-scored companies for a core, best first; an exact core scores `EXACT`."""
        exact = self.exact.get(compact(tokens))
        if exact:
            return [Candidate(position, EXACT) for position in exact[:MAX_EXACT]]
        if all(word in COMMON_WORDS for word in tokens):
            return []  # "Hotels & Resorts" names no one in particular: only exactly
        tokens = tokens[:MAX_WORDS]
        pool = self.pool(tokens)
        if not pool:
            return []
        # token_sort_ratio, with the names' words sorted once and for all: ratio alone is fast.
        names = [self.sorted_names[position] for position in pool]
        ends = list(accumulate(map(len, names)))  # the name at `at` is pool[bisect(ends, at)]'s
        query = " ".join(sorted(tokens))
        ranked = process.extract(
            query,
            list(chain.from_iterable(names)),
            scorer=fuzz.ratio,
            score_cutoff=PRE_RANK_CUTOFF,
            limit=PRE_RANKED,
        )
        weights = [self.weight(word) for word in tokens]
        likeness: dict[str, float] = {}  # a name's word: how like the line's words it is
        best: dict[int, float] = {}
        for _, _, at in ranked:
            position = pool[bisect_right(ends, at)]
            if position not in best:
                score = max(
                    self._similarity(tokens, weights, name, likeness)
                    for name in self.names[position]
                )
                best[position] = min(score, NEAR)
        found = [Candidate(position, score) for position, score in best.items()]
        return sorted(found, key=lambda candidate: -candidate.score)

    def pool(self, tokens: tuple[str, ...]) -> list[int]:
        """At most MAX_POOL companies sharing a rarer word (or its typo) with the core: those
        sharing two of them first, then the rarest word's. If every word is in many names, those
        having all of them. A word no one has, beside common ones, finds no one: "Xyzzy Hotel"
        shares only "hotel" with any member, and must not scan every hotel."""
        rare: list[list[list[int]]] = []  # per word: its companies' lists (or its typos')
        common: list[tuple[list[str], list[list[int]]]] = []  # per word: it or its typos, theirs
        for word in self._words_looked_up(tokens):
            variants = [other for other, _ in self.similar_words(word)]
            found = [self.postings[other] for other in variants]
            few = [postings for postings in found if len(postings) <= MAX_POSTINGS]
            if few:
                rare.append(few)
            else:
                common.append((variants, found))  # no variants: a word no one has
        if rare:
            rare.sort(key=lambda found: sum(map(len, found)))  # the rarest word first
            each = max(MAX_POOL, SCAN // len(rare))
            lists = [list(islice(chain.from_iterable(found), each)) for found in rare]
            having = [
                self.having[v] for variants, _ in common for v in variants if v in self.having
            ]
            return _shared_first(lists, having)
        if not common or any(not variants for variants, _ in common):
            return []
        return self._having_all(common)

    def _words_looked_up(self, tokens: tuple[str, ...]) -> list[str]:
        """The line's known words, and its TYPO_WORDS longest unknown ones (each a search)."""
        words = list(dict.fromkeys(tokens))
        unknown = sorted((word for word in words if word not in self.postings), key=len)
        dropped = set(unknown[:-TYPO_WORDS]) if len(unknown) > TYPO_WORDS else set()
        return [word for word in words if word not in dropped]

    def _having_all(self, common: list[tuple[list[str], list[list[int]]]]) -> list[int]:
        """The companies having every word (or a typo of each), from the rarest one's list."""
        common.sort(key=lambda item: sum(map(len, item[1])))
        needles = [[f" {variant} " for variant in variants] for variants, _ in common[1:]]
        found: dict[int, None] = {}
        for position in islice(chain.from_iterable(common[0][1]), SCAN):
            words = self.words[position]
            if all(any(needle in words for needle in options) for options in needles):
                found.setdefault(position)
                if len(found) == MAX_POOL:
                    break
        return list(found)

    def similarity(self, tokens: tuple[str, ...], name: str) -> float:
        """0-100: half the characters (words in any order), half the words weighed by rarity."""
        tokens = tokens[:MAX_WORDS]
        return self._similarity(tokens, [self.weight(word) for word in tokens], name, {})

    def _similarity(self, tokens, weights: list[float], name: str, likeness: dict) -> float:
        """`similarity`, with the line's words' weights, and its likeness to the words of names
        already scored for it."""
        words = tuple(name.split())
        characters = fuzz.token_sort_ratio(" ".join(tokens), name)
        shared = sum(map(mul, weights, (_word_similarity(word, words) for word in tokens)))
        total = sum(weights)
        for word in words:
            weight = self.weights.get(word) or self.weight(word)
            like = likeness.get(word)
            if like is None:
                like = likeness[word] = _word_similarity(word, tokens)
            total += weight
            shared += weight * like
        return (characters + 100 * (shared / total if total else 0.0)) / 2


def _shared_first(rare: list[list[int]], having: list[frozenset[int]]) -> list[int]:
    """At most MAX_POOL companies of the rarer words' lists (rarest word first): those in two
    lists or more first, then the rarest word's that have one of the line's common words too
    ("Campbell Traevl": the Campbell Travels before the Campbell Hotels), then the lists' order."""
    counts = Counter(chain.from_iterable(rare)) if len(rare) > 1 else {}
    pool = dict.fromkeys(islice((p for p, seen in counts.items() if seen > 1), MAX_POOL))
    for found in having:
        if len(pool) >= MAX_POOL:
            break
        pool.update(dict.fromkeys(islice(filter(found.__contains__, rare[0]), MAX_POOL)))
    for position in chain.from_iterable(rare):
        if len(pool) >= MAX_POOL:
            break
        pool.setdefault(position)
    return list(pool)[:MAX_POOL]


def _words_sorted(tokens: tuple[str, ...], name: str) -> str:
    """The name with its words in order; the same string when they are (no second copy)."""
    ordered = sorted(tokens)
    return name if ordered == list(tokens) else " ".join(ordered)


def _word_similarity(word: str, others: tuple[str, ...]) -> float:
    """0-1: how like `word` the likest of `others` is; 0 below a typo's likeness."""
    if word in others:
        return 1.0
    best = process.extractOne(word, others, scorer=fuzz.ratio, score_cutoff=SIMILAR_WORD)
    return best[1] / 100 if best else 0.0


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
