"""A member's printable certificate: its QR code opens the verify page; nobody else gets one."""

import re
from datetime import date

import pytest
import zxingcpp  # a QR decoder (test extra): a wheel with the decoder inside

from tests.factories import CompanyFactory, UserFactory, owner_of
from tests.reports.helpers import member
from tracker.companies import services as company_services
from tracker.companies.enums import ApplicationStatus, Stage
from tracker.extensions import db
from tracker.membership import services as membership_services

SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.DOTALL)
PIXELS_PER_MODULE = 4


def certificate(client, auth, user, language: str = "en"):
    auth.login(user.email)
    return client.get("/company/certificate", headers={"Accept-Language": language})


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of segno's drawing: a path of horizontal runs, one module high (M and m
    move, h draws a run along the row; the stroke is centred on the row's middle)."""
    path = re.search(r'<path\b[^>]*\sd="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, numbers in re.findall(r"([A-Za-z])([^A-Za-z]*)", path):
        values = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", numbers)]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        elif command == "h":
            dark.update((int(x) + i, int(y)) for i in range(int(values[0])))
            x += values[0]
        else:
            raise AssertionError(f"unexpected path command {command!r}")
    return dark


def decode(svg: str) -> str:
    """Draw the page's SVG as a greyscale image and read the QR code in it."""
    width, height = (int(n) for n in re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    dark = dark_modules(svg)
    scale = PIXELS_PER_MODULE
    pixels = bytes(
        0 if (col // scale, row // scale) in dark else 255
        for row in range(height * scale)
        for col in range(width * scale)
    )
    image = memoryview(pixels).cast("B", (height * scale, width * scale))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, "no QR code (or more than one) in the drawing"
    return found[0].text


def test_the_qr_code_opens_the_verify_page_on_the_public_site(client, auth):
    company, owner = member(display_name="Lotus Tours")
    page = certificate(client, auth, owner)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # PUBLIC_BASE_URL of TestingConfig, whatever host the request came to (here "localhost").
    expected = f"https://tracker.test/verify/{company.membership_number}"
    assert decode(SVG.search(html).group(0)) == expected
    assert f'<a class="certificate-url" href="{expected}">{expected}</a>' in html
    # ...and that page says the company is a member.
    verified = client.get(f"/verify/{company.membership_number}").get_data(as_text=True)
    assert "Lotus Tours is a member of The Code" in verified


def test_the_certificate_names_the_member_its_number_date_and_the_criteria(client, auth):
    company, owner = member(joined=date(2024, 5, 1), legal_name="Lotus Tours Co., Ltd")
    html = certificate(client, auth, owner).get_data(as_text=True)
    for text in (
        "Certificate of membership",
        company.display_name,
        "Lotus Tours Co., Ltd",
        "has signed The Code of Conduct for the Protection of Children from Sexual "
        "Exploitation in Travel and Tourism",
        "May 1, 2024",
        company.membership_number,
    ):
        assert text in html
    titles = re.findall(r"<li><strong>([^<]+)</strong>:", html)
    assert titles == [
        "Policy and procedures",
        "Training",
        "Contracts",
        "Travellers",
        "Stakeholders",
        "Reporting annually",
    ]
    assert re.search(r'<button type="button" class="button" data-print>', html)


def test_the_criteria_are_those_of_the_signed_version_and_the_date_in_french(client, auth):
    company = CompanyFactory(status=ApplicationStatus.APPROVED, legal_name="Alba SARL")
    owner = owner_of(company)
    signature = company_services.SignatureInput(
        signatory_name="Ana Lee",
        signatory_title="CEO",
        accepted_criteria=(1, 2, 3, 4, 5, 6),
        authority_confirmed=True,
    )
    company_services.sign_code(company, owner, signature)
    db.session.commit()
    html = certificate(client, auth, owner, "fr").get_data(as_text=True)
    assert "Alba SARL" in html and company.membership_number in html
    assert len(re.findall(r"<li><strong>", html)) == 6
    joined = company.joined_at.date()
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"]
    months += ["septembre", "octobre", "novembre", "décembre"]
    assert f"{joined.day} {months[joined.month - 1]} {joined.year}" in html


def test_the_page_needs_nothing_the_csp_refuses(client, auth):
    company, owner = member()
    number = company.membership_number
    html = certificate(client, auth, owner).get_data(as_text=True)
    svg = SVG.search(html).group(0)
    assert 'role="img"' in svg and "<title>QR code that opens https://tracker.test/verify/" in svg
    assert not re.search(r"\sstyle=", html), "an inline style attribute"
    assert not re.search(r"<script(?![^>]*\ssrc=)", html), "an inline script"
    # Everything it loads is ours; the one absolute link is the verify page it prints.
    addresses = re.findall(r'\s(?:src|href)="([^"]*)"', html)
    assert [a for a in addresses if not a.startswith(("/", "#"))] == [
        f"https://tracker.test/verify/{number}"
    ]


def test_a_colleague_of_a_member_prints_it_too(client, auth):
    company, _owner = member(display_name="Lotus Tours")
    colleague = UserFactory(company=company)
    page = certificate(client, auth, colleague)
    assert page.status_code == 200 and "Lotus Tours" in page.get_data(as_text=True)


def test_each_member_gets_only_its_own(client, auth):
    first, _first_owner = member(display_name="Lotus Tours")
    _second, second_owner = member(display_name="Orchid Hotels")
    html = certificate(client, auth, second_owner).get_data(as_text=True)
    assert "Orchid Hotels" in html
    assert "Lotus Tours" not in html and first.membership_number not in html


@pytest.mark.parametrize(
    ("stage", "reason"),
    [
        (Stage.SUBMITTED, "not a member of The Code yet"),
        (Stage.RETURNED, "not a member of The Code yet"),
        (Stage.REJECTED, "not a member of The Code yet"),
        (Stage.APPROVED, "owner signs The Code"),
        (Stage.SUSPENDED, "membership is suspended since"),
        (Stage.WITHDRAWN, "no longer a member of The Code"),
        (Stage.EXPELLED, "no longer a member of The Code"),
    ],
)
def test_no_certificate_unless_a_current_member(client, auth, stage, reason):
    company = CompanyFactory(stage=stage)
    page = certificate(client, auth, owner_of(company))
    html = page.get_data(as_text=True)
    assert page.status_code == 403
    assert "<h1>No certificate</h1>" in html and reason in html
    assert "qr-code" not in html and "Certificate of membership" not in html


def test_a_member_that_withdraws_loses_it_and_its_code_says_so(client, auth):
    company, owner = member(display_name="Lotus Tours")
    assert certificate(client, auth, owner).status_code == 200
    membership_services.withdraw_membership(company, owner, "We sold the business.")
    db.session.commit()
    assert client.get("/company/certificate").status_code == 403
    verified = client.get(f"/verify/{company.membership_number}").get_data(as_text=True)
    assert "This number does not belong to a current member of The Code" in verified


def test_the_dashboard_links_to_it_for_members_only(client, auth):
    _company, owner = member()
    auth.login(owner.email)
    assert 'href="/company/certificate"' in client.get("/company/").get_data(as_text=True)
    auth.logout()
    auth.login(owner_of(CompanyFactory(stage=Stage.SUSPENDED)).email)
    assert 'href="/company/certificate"' not in client.get("/company/").get_data(as_text=True)
