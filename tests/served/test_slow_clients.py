"""Slow clients (slowloris) must not hold every worker: ordinary requests are still answered."""

import runpy
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest

from tests.served.conftest import GUNICORN_CONFIG

SLOW_CONNECTIONS = 64
ORDINARY_REQUESTS = 80
CLIENT_THREADS = 8
# Bounds the test: a request unanswered this long counts as lost (ten rounds of 2 s at most).
REQUEST_TIMEOUT = 2.0
# The slow clients send their headers a byte at a time, this often (a classic slowloris).
DRIP_INTERVAL = 1.0
HEADER_TIMEOUT = runpy.run_path(str(GUNICORN_CONFIG))["HEADER_TIMEOUT"]


class Slowloris:
    """Holds `count` connections that send request headers a byte a second and never finish;
    a connection the server closes is opened again, as an attacker would."""

    def __init__(self, url: str, count: int):
        parts = urlsplit(url)
        self.address = (parts.hostname, parts.port)
        self.sockets: list[socket.socket | None] = [None] * count
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.drip, daemon=True)
        self.reopened = 0

    def open(self) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=2)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        return sock

    def drip(self) -> None:
        while not self.stopped.wait(DRIP_INTERVAL):
            for i, sock in enumerate(self.sockets):
                try:
                    sock.send(b"X")  # one more byte of a header line that never ends
                except OSError:  # closed by the server: come back with another one
                    sock.close()
                    self.reopen(i)

    def reopen(self, i: int) -> None:
        try:
            self.sockets[i] = self.open()
        except OSError:  # not accepted in time: the next round tries again (send fails)
            return
        self.reopened += 1

    def __enter__(self) -> "Slowloris":
        self.sockets = [self.open() for _ in self.sockets]
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)
        for sock in self.sockets:
            sock.close()


def timed_get(client: httpx.Client, path: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        status = client.get(path).status_code
    except httpx.TransportError:  # timed out or refused
        status = 0  # counted as unanswered
    return status, time.monotonic() - started


def ordinary_requests(url: str) -> Iterator[tuple[int, float]]:
    """80 GETs of /healthz and the home page from eight threads, each with its own connection."""
    paths = ["/healthz", "/"] * (ORDINARY_REQUESTS // 2)
    clients = [httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) for _ in range(CLIENT_THREADS)]
    try:
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            jobs = [
                pool.submit(timed_get, clients[i % CLIENT_THREADS], path)
                for i, path in enumerate(paths)
            ]
            yield from (job.result() for job in jobs)
    finally:
        for client in clients:
            client.close()


def p99(latencies: list[float]) -> float:
    """Nearest-rank 99th percentile: of 80 samples, the 80th smallest, the slowest."""
    ordered = sorted(latencies)
    rank = -(-99 * len(ordered) // 100)  # ceil(0.99 n)
    return ordered[rank - 1]


@pytest.fixture()
def served(served_app):
    served_app.restart_workers()  # no earlier test's rate-limit counts
    return served_app


def test_a_client_slower_than_the_header_timeout_is_disconnected(served):
    """A byte a second keeps a plain socket busy forever; the server hangs up at the deadline."""
    slow = Slowloris(served.url, 1)
    started = time.monotonic()
    with slow.open() as sock:
        sock.settimeout(DRIP_INTERVAL)
        answer = None
        while answer is None and time.monotonic() - started < HEADER_TIMEOUT + 5:
            try:
                sock.send(b"X")
                answer = sock.recv(1024)  # b"" once the server closed the connection
            except TimeoutError:
                continue
            except ConnectionError:
                answer = b""
    assert answer == b""
    # The worker looks at its deadlines about once a second (longer on a loaded machine).
    assert HEADER_TIMEOUT - 1 < time.monotonic() - started < HEADER_TIMEOUT + 4


def test_a_refused_body_is_not_waited_for(served):
    """A 413 answered before the body came closes the connection: no thread waits for the rest
    of a body the client may send a byte a minute."""
    with socket.create_connection(Slowloris(served.url, 1).address, timeout=5) as sock:
        sock.sendall(
            b"POST /account/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 2000000\r\n\r\nemail="
        )
        answer = b""
        while chunk := sock.recv(65536):  # until the server closes
            answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].decode()
    assert head.startswith("HTTP/1.1 413 ")
    assert "Connection: close" in head.split("\r\n")


def test_slow_clients_do_not_stop_ordinary_requests(served):
    # Fresh workers render their first pages in about a second (templates, catalogs): warm them.
    assert {status for status, _ in ordinary_requests(served.url)} == {200}
    with Slowloris(served.url, SLOW_CONNECTIONS):
        time.sleep(2 * DRIP_INTERVAL)  # the server has taken them all in, a few bytes each
        results = list(ordinary_requests(served.url))
    statuses = [status for status, _ in results]
    latencies = [latency for _, latency in results]
    unanswered = ORDINARY_REQUESTS - statuses.count(200)
    assert unanswered == 0, f"{unanswered} of {ORDINARY_REQUESTS} unanswered: {statuses}"
    assert p99(latencies) < 1.0, sorted(latencies)[-5:]
