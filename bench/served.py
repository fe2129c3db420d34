"""The app served by gunicorn for the benchmarks that measure what a client sees."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def flask(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    command = [str(BIN / "flask"), "--app", "wsgi", *args]
    subprocess.run(
        command, env=env, cwd=ROOT, check=True, input=stdin, text=True, capture_output=True
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class served:
    """gunicorn with `workers` workers on a free port, stopped on exit; yields its base URL."""

    def __init__(self, env: dict[str, str], workers: int = 1):
        self.env, self.workers, self.port = env, workers, free_port()

    def __enter__(self) -> str:
        command = [
            str(BIN / "gunicorn"),
            *("--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}", "wsgi:app"),
        ]
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        url = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    return url
            except httpx.TransportError:
                time.sleep(0.1)
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def empty_app(url: str):
    """The app (development config, mail to the console) on `url`, emptied and migrated."""
    from flask_migrate import upgrade
    from sqlalchemy import MetaData

    from config import DevelopmentConfig
    from tracker import create_app
    from tracker.extensions import db

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        MAIL_BACKEND = "console"

    app = create_app(BenchConfig)
    with app.app_context():
        existing = MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)
        upgrade()
    return app
