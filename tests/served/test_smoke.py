"""The served-app fixture: gunicorn with two workers answers and shares the test database."""

from tests.factories import PASSWORD, UserFactory
from tests.served.conftest import csrf_token


def test_served_app_answers_healthz(served_app, served_client):
    response = served_client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"
    assert len(served_app.worker_pids()) == 2


def test_served_app_accepts_the_csrf_token_of_its_session(served_client):
    response = served_client.post("/account/logout", data={"csrf_token": "forged"})
    assert response.status_code == 400
    response = served_client.post("/account/logout", data={"csrf_token": csrf_token(served_client)})
    assert response.status_code == 302


def test_served_app_sees_users_the_test_created(served_client):
    user = UserFactory(email="served.user@example.com")
    form = {"csrf_token": csrf_token(served_client), "email": user.email, "password": PASSWORD}
    response = served_client.post("/account/login", data=form)
    # A wrong password would answer 200 with the form again; signed in, it redirects home.
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/company/")


def test_restart_workers_gives_fresh_workers(served_app, served_client):
    before = set(served_app.worker_pids())
    served_app.restart_workers()
    after = set(served_app.worker_pids())
    assert len(after) == 2 and not before & after
    assert served_client.get("/healthz").status_code == 200
