"""Parallel requests against the served app (gunicorn, two workers): one row, never a 500."""

import threading
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD, CompanyFactory, UserFactory, owner_of
from tests.fixtures import two_factor
from tests.served.conftest import csrf_token
from tracker.auth import invitations
from tracker.auth.models import User
from tracker.companies.models import Company
from tracker.extensions import db

APPLICATION = {
    "legal_name": "Lotus Hotels Ltd",
    "display_name": "Lotus Hotels",
    "type": "tour_operator",
    "hq_country": "TH",
    "revenue_band": "up_to_500k",
    "contact_name": "Ana Lee",
    "contact_email": "ana@lotus.example",
    "operations-0-country_code": "TH",
    "save": "1",
}


@pytest.fixture()
def served(served_app):
    """The served app with fresh workers, so no earlier test's rate-limit counts linger."""
    served_app.restart_workers()
    return served_app


def in_parallel(count: int, send: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    """Call send(0..count-1) from `count` threads released at the same instant."""
    barrier = threading.Barrier(count)
    responses: list[httpx.Response | BaseException] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            responses[i] = send(i)
        except BaseException as error:  # reported below, with the others' answers
            responses[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    failures = [r for r in responses if not isinstance(r, httpx.Response)]
    assert not failures, failures
    return responses


def signed_in_client(url: str, email: str) -> httpx.Client:
    """A client signed in through the forms, staff through their second factor too."""
    secret = two_factor.prepare(email)
    client = httpx.Client(base_url=url, timeout=30)
    token = csrf_token(client, "/account/login")
    response = client.post(
        "/account/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.text[:500]
    if secret is not None and response.headers["location"] == two_factor.VERIFY_PATH:
        token = csrf_token(client, two_factor.VERIFY_PATH)
        code = {"code": two_factor.code_for(secret), "csrf_token": token}
        response = client.post(two_factor.VERIFY_PATH, data=code)
        assert response.status_code == 302, response.text[:500]
    return client


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def statuses(responses) -> list[int]:
    return sorted(response.status_code for response in responses)


def test_parallel_applications_by_one_user_make_exactly_one_company(served):
    applicant = UserFactory(email="applicant@example.com")
    client = signed_in_client(served.url, applicant.email)
    data = {**APPLICATION, "csrf_token": csrf_token(client, "/company/apply")}
    cookies = dict(client.cookies)
    client.close()

    def apply(_: int) -> httpx.Response:
        with httpx.Client(base_url=served.url, cookies=cookies, timeout=30) as each:
            return each.post("/company/apply", data=data)

    responses = in_parallel(6, apply)
    assert statuses(responses) == [302] * 6, [r.text[:300] for r in responses]
    assert {r.headers["location"] for r in responses} == {"/company/"}
    assert count(Company) == 1
    company = db.session.scalar(select(Company))
    assert [user.email for user in company.users] == [applicant.email]
    assert db.session.get(User, applicant.id).is_owner


def test_parallel_applications_with_one_name_get_their_own_addresses(served):
    """Six companies named alike at the same instant: six profile addresses, no failure."""
    applicants = [UserFactory(email=f"applicant{i}@example.com") for i in range(6)]
    clients = [signed_in_client(served.url, user.email) for user in applicants]
    tokens = [csrf_token(client, "/company/apply") for client in clients]

    def apply(i: int) -> httpx.Response:
        return clients[i].post("/company/apply", data={**APPLICATION, "csrf_token": tokens[i]})

    responses = in_parallel(6, apply)
    assert statuses(responses) == [302] * 6, [r.text[:300] for r in responses]
    db.session.expire_all()
    slugs = sorted(db.session.scalars(select(Company.slug)))
    assert slugs == ["lotus-hotels", *(f"lotus-hotels-{n}" for n in range(2, 7))]


def test_parallel_registrations_with_one_address_make_one_account(served, smtp):
    form = {
        "name": "Ana Lee",
        "email": "ana@sunrise.example",
        "password": "long enough pw",
        "confirm": "long enough pw",
    }

    def register(_: int) -> httpx.Response:
        with httpx.Client(base_url=served.url, timeout=30) as client:
            token = csrf_token(client, "/account/register")
            return client.post("/account/register", data={**form, "csrf_token": token})

    responses = in_parallel(8, register)
    assert statuses(responses) == [302] * 8, [r.text[:300] for r in responses]
    assert {r.headers["location"] for r in responses} == {"/account/login"}
    assert count(User) == 1


def test_parallel_acceptances_of_one_invitation_make_one_account(served):
    company = CompanyFactory()
    owner = owner_of(company, email="owner@example.com")
    invitation = invitations.invite_colleague(owner, "colleague@example.com")
    db.session.commit()
    path = f"/account/invitation/{invitation.token}"
    form = {"name": "Col League", "password": "long enough pw", "confirm": "long enough pw"}

    # Every form is open before any is sent, as six browsers showing the page would be: a GET
    # after the first acceptance would already be sent away.
    clients = [httpx.Client(base_url=served.url, timeout=30) for _ in range(6)]
    tokens = [csrf_token(client, path) for client in clients]

    def accept(i: int) -> httpx.Response:
        return clients[i].post(path, data={**form, "csrf_token": tokens[i]})

    try:
        responses = in_parallel(6, accept)
    finally:
        for client in clients:
            client.close()
    assert statuses(responses) == [302] * 6, [r.text[:300] for r in responses]
    locations = [r.headers["location"] for r in responses]
    assert locations.count("/company/") == 1
    # The others were refused: as used, or (arriving later) as no longer pending.
    assert set(locations) - {"/company/"} <= {"/account/login", "/"}
    assert count(User) == 2
    assert db.session.scalar(select(User).filter_by(email="colleague@example.com")).company_id == (
        company.id
    )


def test_parallel_property_changes_lose_nothing_and_never_fail(served):
    company = CompanyFactory(display_name="Lotus Hotels", countries=("TH",))
    client = signed_in_client(served.url, owner_of(company, email="owner@lotus.example").email)
    token = csrf_token(client, "/company/properties")
    cookies = dict(client.cookies)
    client.close()

    def add(i: int) -> httpx.Response:
        data = {"csrf_token": token, "country_code": "TH", "property_name": f"Lotus {i}"}
        data["city"] = "Phuket"
        with httpx.Client(base_url=served.url, cookies=cookies, timeout=30) as each:
            return each.post("/company/properties", data=data)

    responses = in_parallel(6, add)
    # Each either saved (302) or met a parallel save and was told so (409): never a 500.
    assert set(statuses(responses)) <= {302, 409}, [r.text[:300] for r in responses]
    assert 302 in statuses(responses)
    saved = {f"Lotus {i}" for i, r in enumerate(responses) if r.status_code == 302}
    db.session.expire_all()
    names = {op.property_name for op in db.session.get(Company, company.id).operations}
    assert names - {None} == saved  # every save acknowledged is there, and nothing else
