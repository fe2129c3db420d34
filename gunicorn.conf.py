"""gunicorn settings for production and the served tests: `gunicorn -c gunicorn.conf.py wsgi:app`.

Slow clients. gunicorn's own workers hand a connection to a worker (sync) or a thread (gthread)
as soon as its first byte arrives, and that thread then waits, with no time limit, until the
client has sent every header: 64 clients sending a byte a second (slowloris) held every thread
of two workers, and ordinary visitors waited for nothing (measured: 80 of 80 requests unanswered
with 8 threads a worker, 12 of 80 with 48). The worker below is gunicorn's gthread worker, except
that its event loop collects each request's line and headers itself, without blocking, and gives
the connection to a thread only once they are complete. A client that has not sent them within
HEADER_TIMEOUT seconds is disconnected, so a slow client costs a socket, never a thread. Request
bodies are still read by the thread: a proxy that buffers them (README, Production) shields those;
and a response to a request whose body the app left unread (a 413) closes the connection, as the
sync worker did, rather than keep it to read that body later in a thread.
"""

import errno
import io
import os
import selectors
import time
from functools import partial

from gunicorn.http.body import ChunkedReader, LengthReader
from gunicorn.http.message import Request
from gunicorn.workers.gthread import TConn, ThreadWorker

# A browser sends its request line and headers in one packet; nginx allows 60 s by default.
HEADER_TIMEOUT = 10.0
HEADER_END = b"\r\n\r\n"

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A worker whose event loop has not reported to the master for this long is restarted (a long
# request does not count: the loop reports while threads work; gthread has no request limit).
timeout = 30
graceful_timeout = 30
keepalive = 5  # seconds an idle kept-alive connection waits in the event loop, not in a thread


class ClosingRequest(Request):
    """A request whose connection closes after its response unless its body was read to the end
    (the response then says `Connection: close`, so the client does not reuse it)."""

    def should_close(self):
        reader = self.body.reader
        if isinstance(reader, LengthReader):
            unread = reader.length > 0
        else:
            unread = not isinstance(reader, ChunkedReader) or reader.parser is not None
        return unread or super().should_close()


class HeaderBufferingWorker(ThreadWorker):
    """gthread, with request headers read in the event loop under a deadline (see above)."""

    @classmethod
    def check_config(cls, cfg, log):
        super().check_config(cfg, log)
        if cfg.is_ssl:  # bytes read before the TLS handshake would be lost: TLS is the proxy's
            raise RuntimeError("HeaderBufferingWorker does not terminate TLS: use a proxy")

    def init_process(self):
        self.reading: dict[TConn, None] = {}  # insertion order is deadline order
        self.max_header_bytes = (
            self.cfg.limit_request_line
            + self.cfg.limit_request_fields * (self.cfg.limit_request_field_size + 2)
            + 4
        )
        super().init_process()

    def accept(self, server, listener):
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self.read_headers(TConn(self.cfg, sock, client, server))

    def read_headers(self, conn: TConn) -> None:
        """Watch `conn` in the event loop until its headers are in or its time is up."""
        conn.received = bytearray()
        if conn.parser is not None:  # kept alive: bytes past its last request come first
            conn.received += conn.parser.unreader.buf.getvalue()
            conn.parser.unreader.buf = io.BytesIO()
        conn.header_deadline = time.monotonic() + HEADER_TIMEOUT
        with self._lock:
            self.reading[conn] = None
            self.poller.register(
                conn.sock, selectors.EVENT_READ, partial(self.on_header_bytes, conn)
            )

    def on_client_socket_readable(self, conn, client):
        """A kept-alive connection sends its next request: its headers get a deadline too."""
        with self._lock:
            self.poller.unregister(client)
            try:
                self._keep.remove(conn)
            except ValueError:  # gunicorn's own race guard: the keep-alive sweep closed it
                return
        self.read_headers(conn)

    def on_header_bytes(self, conn: TConn, client) -> None:
        try:
            data = conn.sock.recv(8192)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        conn.received += data
        if data and HEADER_END not in conn.received:
            if len(conn.received) <= self.max_header_bytes:
                return  # more to come
            data = b""  # more header than gunicorn's parser would ever accept: hang up
        with self._lock:
            self.poller.unregister(client)
            self.reading.pop(conn, None)
        if data:
            self.enqueue_req(conn)
        else:
            self.hang_up(conn)

    def enqueue_req(self, conn):
        conn.init()
        conn.parser.mesg_class = ClosingRequest
        # The bytes already read go first; the thread's parser reads the body after them.
        conn.parser.unreader.unread(bytes(conn.received))
        conn.received = bytearray()
        self._wrap_future(self.tpool.submit(self.handle, conn), conn)

    def hang_up(self, conn: TConn) -> None:
        self.nr_conns -= 1
        conn.close()

    def murder_keepalived(self):
        """Besides gunicorn's keep-alive sweep, disconnect clients slower than HEADER_TIMEOUT."""
        super().murder_keepalived()
        now = time.monotonic()
        with self._lock:
            late = []
            for conn in self.reading:
                if conn.header_deadline > now:
                    break
                late.append(conn)
            for conn in late:
                del self.reading[conn]
                self.poller.unregister(conn.sock)
        for conn in late:
            self.hang_up(conn)


worker_class = HeaderBufferingWorker
