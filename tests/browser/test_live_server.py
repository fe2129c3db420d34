"""The live test server itself: a browser dropping a connection must not leak the response."""

import gc
import socket
import struct
import sys
import threading

from tests.browser.conftest import CloseOnce


def reset_after_first_byte(base_url: str, path: str) -> None:
    """Ask for a path, read one byte, then reset the connection, as Chromium does when it
    abandons a request it no longer needs."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        connection.recv(1)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def wait_for_request_threads() -> None:
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=5)


def test_a_reset_connection_leaves_no_file_open(live_server, monkeypatch):
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    for _ in range(10):
        reset_after_first_byte(live_server, "/static/img/favicon.svg")
    wait_for_request_threads()
    gc.collect()
    assert [str(event.exc_value) for event in unraisable] == []


def test_a_body_closes_once():
    closes = []

    class Body(list):
        def close(self):
            closes.append(1)

    body = CloseOnce(Body([b"a", b"b"]))
    assert list(body) == [b"a", b"b"]
    body.close()
    body.close()
    assert closes == [1]
