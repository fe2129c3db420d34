"""The commit-message rule `make lint` checks (.ci/commit_messages.py), on made-up repositories."""

import importlib.util
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "commit_messages.py"
spec = importlib.util.spec_from_file_location("commit_messages", SCRIPT)
commit_messages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(commit_messages)


@pytest.mark.parametrize(
    ("parents", "subject", "body", "found"),
    [
        ("a1", "Short subject", "Why it changed.", []),
        ("a1", "x" * 72, "Why.", []),
        ("a1", "x" * 73, "Why.", ["subject of 73 characters (at most 72)"]),
        ("a1", "Short subject", " \n", ["no body saying why"]),
        ("a1 b2", "Merge branch 'x'", "", []),  # a merge needs no body
        ("a1 b2", "Merge " + "x" * 70, "", ["subject of 76 characters (at most 72)"]),
    ],
)
def test_the_rule(parents, subject, body, found):
    assert commit_messages.problems(parents, subject, body) == found


def commit(repository: Path, message: str) -> str:
    git = ["git", "-C", str(repository), "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", message], check=True)
    return subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def test_only_commits_after_the_rule_began_are_read(tmp_path, monkeypatch, capsys):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    before = commit(tmp_path, "y" * 90)  # before the rule: left as it is
    monkeypatch.setattr(commit_messages, "RULE_FROM", before)
    monkeypatch.chdir(tmp_path)
    commit(tmp_path, "Kept subject\n\nA body.")
    assert commit_messages.main() == 0
    commit(tmp_path, "z" * 80)
    assert commit_messages.main() == 1
    assert "subject of 80 characters (at most 72), no body saying why" in capsys.readouterr().out


def test_without_the_history_nothing_is_checked(tmp_path, monkeypatch, capsys):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    commit(tmp_path, "z" * 80)
    monkeypatch.chdir(tmp_path)
    assert commit_messages.main() == 0
    assert "not checked" in capsys.readouterr().out
