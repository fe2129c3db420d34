"""What identifies a company by its name: the name's *core*, and how much each word tells.

A core is a folded name (`naming.folded`: lower case, accents transliterated, punctuation
dropped) without its legal form at either end and without "the" and "and": "Hôtel São Paulo
S.A." and "Hotel Sao Paulo" are both "hotel sao paulo", "MÜLLER REISEN GMBH" is "muller
reisen", "The Grand Ltd." is "grand". Legal forms are compared without their spaces, so "S.A."
("s a") and "SA" ("sa") are one form, and "S. de R.L. de C.V." is found whole.
"""

# fmt: off
# Left out on purpose: "spa" (a spa, far more often than an S.p.A. in travel) unless spelt
# "S.p.A." (three words), and "group", "holding", "international", which are parts of names.
LEGAL_FORMS = frozenset([
    "ltd", "limited", "llc", "inc", "incorporated", "corp", "corporation", "co", "company", "plc",
    "llp", "lp", "pllc", "sa", "sas", "sasu", "sarl", "eurl", "snc", "sc", "scs", "sl", "slu",
    "srl", "sro", "ag", "gmbh", "kg", "ohg", "ug", "ek", "ev", "gbr", "bv", "nv", "ab", "aps", "as",
    "asa", "oy", "oyj", "kk", "gk", "yk", "pty", "pvt", "pte", "sdn", "bhd", "berhad", "tbk",
    "ltda", "lda", "eirl", "jsc", "pjsc", "ojsc", "ooo", "oao", "zao", "kft", "zrt", "spzoo", "doo",
    "sadecv", "sderldecv", "limitedliabilitycompany", "publiclimitedcompany",
])
# Words of the trade that say little about which company is meant. A large register weighs them
# down by itself (they are in many names); these count as in a tenth of all names at least, so
# that a small one does too, and "Hotel" alone cannot look like "Sunset Hotel".
COMMON_WORDS = frozenset([
    "hotel", "hotels", "hostel", "inn", "lodge", "resort", "resorts", "suites", "apartments",
    "residence", "villa", "villas", "guesthouse", "guest", "house", "camp", "boutique",
    "collection", "tour", "tours", "travel", "travels", "voyage", "voyages", "reisen", "viajes",
    "turismo", "tourism", "tourisme", "touristik", "agency", "agencia", "agence", "group",
    "groupe", "grupo", "international", "holiday", "holidays", "trips", "journeys", "adventures",
    "expeditions", "safari", "safaris", "cruise", "cruises", "airways", "airlines", "air",
    "transport", "transports", "transportes", "services",
])
# fmt: on
SPELT_OUT_ONLY = frozenset({"spa"})  # a legal form only as separate letters ("S.p.A.")
LEADING_FORMS = frozenset({"the", "pt", "cv", "ooo", "oao", "zao", "pjsc", "jsc"})
NOISE = frozenset({"the", "and", "et", "und"})
LONGEST_FORM = 7  # words: "s de r l de c v"
# What the last word of a name ending in a legal form may be ("v" of "c v", "ltd" of "ltd"):
# most names end in none of these, and are done with at once.
FORM_ENDINGS = frozenset(
    form[start:] for form in LEGAL_FORMS | SPELT_OUT_ONLY for start in range(len(form))
)


def core_tokens(folded_name: str) -> tuple[str, ...]:
    """The words of an already folded name that identify it."""
    words = folded_name.split()
    kept = _strip_end(_strip_start(words))
    kept = [word for word in kept if word not in NOISE]
    return tuple(kept) or tuple(words)  # a name that is all legal form stays as it was


def _strip_start(words: list[str]) -> list[str]:
    while len(words) > 1 and words[0] in LEADING_FORMS:
        words = words[1:]
    return words


def _strip_end(words: list[str]) -> list[str]:
    while len(words) > 1 and words[-1] in FORM_ENDINGS:
        for size in range(min(LONGEST_FORM, len(words) - 1), 0, -1):
            joined = "".join(words[-size:])
            if joined in LEGAL_FORMS or (size > 1 and joined in SPELT_OUT_ONLY):
                words = words[:-size]
                break
        else:
            return words
    return words


def compact(tokens: tuple[str, ...]) -> str:
    """The core without spaces: "Sea Breeze" and "Seabreeze" are one name."""
    return "".join(tokens)
