"""The six criteria of The Code, by version. A signature records the version it accepted.

A new wording is a new entry here (never an edit of a published one), so every past signature
keeps pointing at the exact text its signatory saw.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Criterion:
    number: int
    title: str  # lazy: shown in the reader's language; the English text is the one signed
    text: str


# The titles as The Code words them; shared by every version (the signed text is `text`).
POLICY = _l("Policy and procedures")
TRAINING = _l("Training")
CONTRACTS = _l("Contracts")
TRAVELLERS = _l("Travellers")
STAKEHOLDERS = _l("Stakeholders")
REPORTING = _l("Reporting annually")

CRITERIA_VERSIONS: dict[str, tuple[Criterion, ...]] = {
    "2024.1": (
        Criterion(
            1,
            POLICY,
            _l("Establish a policy and procedures against sexual exploitation of children."),
        ),
        Criterion(
            2,
            TRAINING,
            _l(
                "Train employees in children's rights, the prevention of sexual "
                "exploitation and how to report suspected cases."
            ),
        ),
        Criterion(
            3,
            CONTRACTS,
            _l(
                "Include a clause in contracts throughout the value chain "
                "stating a common repudiation and zero tolerance of sexual exploitation of "
                "children."
            ),
        ),
        Criterion(
            4,
            TRAVELLERS,
            _l(
                "Provide information to travellers on children's rights, the "
                "prevention of sexual exploitation of children and how to report suspected "
                "cases."
            ),
        ),
        Criterion(
            5,
            STAKEHOLDERS,
            _l(
                "Support, collaborate and engage stakeholders in the "
                "prevention of sexual exploitation of children."
            ),
        ),
        Criterion(6, REPORTING, _l("Report annually on the implementation of the six criteria.")),
    ),
}
# 2026.1: criterion 1 now covers the regulation of voluntourism; the others read as before.
CRITERIA_VERSIONS["2026.1"] = (
    Criterion(
        1,
        POLICY,
        _l(
            "Establish a policy and procedures against sexual exploitation of children, "
            "including the regulation of voluntourism."
        ),
    ),
    *CRITERIA_VERSIONS["2024.1"][1:],
)
CURRENT_VERSION = "2026.1"


def criteria(version: str = CURRENT_VERSION) -> tuple[Criterion, ...]:
    """The criteria of one version.

    :raises KeyError: for an unknown version.
    """
    return CRITERIA_VERSIONS[version]
