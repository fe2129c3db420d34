"""The six criteria of The Code, by version. A signature records the version it accepted.

A new wording is a new entry here (never an edit of a published one), so every past signature
keeps pointing at the exact text its signatory saw.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    number: int
    title: str
    text: str


CRITERIA_VERSIONS: dict[str, tuple[Criterion, ...]] = {
    "2024.1": (
        Criterion(
            1,
            "Policy",
            "Establish a policy and procedures against sexual exploitation of children.",
        ),
        Criterion(
            2,
            "Training",
            "Train employees in children's rights, the prevention of sexual "
            "exploitation and how to report suspected cases.",
        ),
        Criterion(
            3,
            "Contracts",
            "Include a clause in contracts throughout the value chain "
            "stating a common repudiation and zero tolerance of sexual exploitation of "
            "children.",
        ),
        Criterion(
            4,
            "Travellers",
            "Provide information to travellers on children's rights, the "
            "prevention of sexual exploitation of children and how to report suspected "
            "cases.",
        ),
        Criterion(
            5,
            "Stakeholders",
            "Support, collaborate and engage stakeholders in the "
            "prevention of sexual exploitation of children.",
        ),
        Criterion(6, "Reporting", "Report annually on the implementation of the six criteria."),
    ),
}
CURRENT_VERSION = "2024.1"


def criteria(version: str = CURRENT_VERSION) -> tuple[Criterion, ...]:
    """The criteria of one version.

    :raises KeyError: for an unknown version.
    """
    return CRITERIA_VERSIONS[version]
