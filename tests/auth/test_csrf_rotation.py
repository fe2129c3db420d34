"""Signing in gives the browser a new CSRF token: one planted before sign-in dies with it."""


def test_the_token_from_before_sign_in_is_refused_after_it(client, auth, applicant):
    before = client.csrf_token()
    assert auth.login(applicant.email).status_code == 302
    after = client.csrf_token()
    assert after != before
    # Signing out with the planted token is refused; with the new one it works.
    refused = client.post("/account/logout", data={"csrf_token": before})
    assert refused.status_code == 400
    assert client.post("/account/logout", data={"csrf_token": after}).status_code == 302
