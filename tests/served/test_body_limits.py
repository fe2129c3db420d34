"""Oversized request bodies get a 413 page and are never read into memory (finding 4)."""

import contextlib
import http.client
import io
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

MIB = 1024 * 1024
HUGE = 150 * MIB  # the attack in the issue: 150 MB posted anonymously to the sign-in page
FORM = "application/x-www-form-urlencoded"
SEND_TIMEOUT = 30  # seconds; the server stops reading after 1 MiB, so this is never reached
TOO_LARGE = "The form was too large"


class Unreadable(io.BytesIO):
    """A request body that fails the test if the app reads a single byte of it."""

    def read(self, *args):
        raise AssertionError("the app read a body whose Content-Length is over the limit")

    readinto = readline = read


def announcing(length: int) -> dict:
    """A body of `length` bytes as far as the headers say, which the app may not read."""
    # EnvironBuilder measures an input stream itself, so the length goes in as an override.
    return {
        "input_stream": Unreadable(),
        "content_type": FORM,
        "environ_overrides": {"CONTENT_LENGTH": str(length)},
    }


def test_content_length_over_the_limit_gets_the_413_page_unread(client):
    response = client.post("/account/login", **announcing(HUGE))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert TOO_LARGE in page and "nothing was saved" in page


def test_too_large_answers_json_when_asked(client):
    response = client.post(
        "/account/login", headers={"Accept": "application/json"}, **announcing(HUGE)
    )
    assert response.status_code == 413
    assert response.json["status"] == 413


def test_a_form_just_over_one_mib_is_refused(client):
    response = client.post("/account/login", data=b"email=" + b"a" * MIB, content_type=FORM)
    assert response.status_code == 413


def chunked(body: bytes) -> dict:
    """What gunicorn hands the app for a chunked request: a terminated stream, no length."""
    return {
        "input_stream": io.BytesIO(body),
        "content_type": FORM,
        "environ_overrides": {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True},
    }


def test_a_chunked_form_over_the_limit_is_refused_not_cut_short(client, smtp):
    # Werkzeug alone reads the first 1 MiB of such a stream and parses it as the whole form.
    body = b"email=someone%40example.com&x=" + b"a" * (2 * MIB)
    response = client.post("/account/reset", **chunked(body))
    assert response.status_code == 413
    assert smtp.messages == []


class CutShort(io.BytesIO):
    """A chunked body whose client went away after a few bytes (gunicorn raises NoMoreData)."""

    def read(self, *args):
        raise OSError("No more data after: b'email=a'")


def test_a_chunked_body_cut_short_is_a_bad_request(client):
    request = chunked(b"")
    request["input_stream"] = CutShort()
    response = client.post("/account/reset", **request)
    assert response.status_code == 400


def test_served_chunked_body_cut_mid_chunk_is_a_bad_request(served_app):
    """Through gunicorn: a chunk announced as 4 KiB that stops after 10 bytes, then EOF."""
    address = urlsplit(served_app.url)
    log_start = len(served_app.stderr())
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(
            b"POST /account/reset HTTP/1.1\r\nHost: " + address.netloc.encode() + b"\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n1000\r\nemail=a%40b"
        )
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert "Traceback" not in served_app.stderr()[log_start:]


def test_a_small_chunked_form_is_read_whole(client):
    response = client.post("/account/logout", **chunked(b"csrf_token=forged&x=" + b"a" * 1000))
    assert response.status_code == 400  # parsed: the forged token was read and refused
    assert "expired" in response.get_data(as_text=True)


def multipart(fields: dict[str, str]) -> dict:
    """A multipart/form-data body built in memory (the test client's spills to a temp file)."""
    boundary = "limit-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    body = "".join(parts) + f"--{boundary}--\r\n"
    return {"data": body.encode(), "content_type": f"multipart/form-data; boundary={boundary}"}


@pytest.mark.parametrize(
    "fields",
    [
        {"csrf_token": "x", "comment": "a" * (600 * 1024)},  # one field over 512 KiB
        {f"field{n}": "x" for n in range(2100)},  # more than 2000 parts
    ],
    ids=["field over MAX_FORM_MEMORY_SIZE", "parts over MAX_FORM_PARTS"],
)
def test_multipart_limits_give_413(client, fields):
    body = multipart(fields)
    assert len(body["data"]) < MIB  # under MAX_CONTENT_LENGTH: the finer limits refuse it
    response = client.post("/account/logout", **body)
    assert response.status_code == 413


def test_a_multipart_form_within_the_limits_is_read(client):
    response = client.post(
        "/account/logout", **multipart({"csrf_token": "forged", "x": "a" * 1000})
    )
    assert response.status_code == 400  # parsed: the forged token was read and refused


def peak_memory_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])


def reset_peak_memory(pid: int) -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0), so the peak we
    # read afterwards belongs to this test, not to whatever the worker served before.
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def huge_form(total: int, sent: list[int]):
    """`total` bytes of urlencoded form, produced 64 KiB at a time and never held whole."""
    head = b"csrf_token=x&email=attacker%40example.org&password="
    yield head
    sent[0] += len(head)
    chunk = b"a" * (64 * 1024)
    while sent[0] < total:
        piece = chunk[: total - sent[0]]
        yield piece
        sent[0] += len(piece)


def post_huge(url: str, *, chunked: bool) -> tuple[int | None, str, int]:
    """POST 150 MB to the sign-in page; the status and page (None if unreadable), bytes sent."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=SEND_TIMEOUT)
    sent = [0]
    headers = (
        {"Content-Type": FORM} if chunked else {"Content-Type": FORM, "Content-Length": str(HUGE)}
    )
    try:
        # The server answers and closes while we are still sending: then read its answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request(
                "POST", "/account/login", huge_form(HUGE, sent), headers, encode_chunked=chunked
            )
        try:
            response = connection.getresponse()
            return response.status, response.read().decode(errors="replace"), sent[0]
        except (ConnectionResetError, http.client.RemoteDisconnected):
            return None, "", sent[0]
    finally:
        connection.close()


def warm_up(served_client) -> None:
    """Let each worker load its templates and database connection before we measure."""
    for _ in range(8):
        served_client.get("/account/login")
        served_client.post(
            "/account/login", content=b"x" * (2 * MIB), headers={"Content-Type": FORM}
        )


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_served_app_refuses_150_mb_without_growing(served_app, served_client, chunked):
    warm_up(served_client)
    workers = served_app.worker_pids()
    for pid in workers:
        reset_peak_memory(pid)
    before = {pid: peak_memory_kib(pid) for pid in workers}
    log_start = len(served_app.stderr())
    started = time.monotonic()

    status, page, sent = post_huge(served_app.url, chunked=chunked)

    assert time.monotonic() - started < SEND_TIMEOUT
    growth_mib = {pid: (peak_memory_kib(pid) - before[pid]) / 1024 for pid in workers}
    assert max(growth_mib.values()) < 20, growth_mib
    assert served_app.worker_pids() == workers, "a worker died or was replaced"
    # The server stopped reading long before the end: only socket buffers took the rest.
    assert sent < HUGE, f"the whole body was read ({sent} bytes)"
    if status is not None:
        assert status == 413 and TOO_LARGE in page
    # Whether or not the client could read the 413 before the reset, the app refused it.
    detail = "chunked" if chunked else str(HUGE)
    line = (
        f"refused reason=size method=POST path=/account/login client=127.0.0.0/24 detail={detail}"
    )
    assert line in served_app.stderr()[log_start:]
