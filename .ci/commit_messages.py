"""Commit messages since the rule began: a subject of at most 72 characters and, but for merges,
a body that says why. Run by `make lint`; exits 1 naming each commit that breaks the rule.

Commits up to RULE_FROM (the last one written before the rule) are left as they are. Where there
is no history to read (an archive, a shallow clone), it says so and checks nothing.
"""

import subprocess
import sys

RULE_FROM = "3ea0b865629c5e297b4526a893501362f09b40c4"
MAX_SUBJECT = 72
FIELD, RECORD = "\x1f", "\x1e"


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def problems(parents: str, subject: str, body: str) -> list[str]:
    found = []
    if len(subject) > MAX_SUBJECT:
        found.append(f"subject of {len(subject)} characters (at most {MAX_SUBJECT})")
    if len(parents.split()) < 2 and not body.strip():
        found.append("no body saying why")
    return found


def main() -> int:
    if git("cat-file", "-e", f"{RULE_FROM}^{{commit}}").returncode != 0:
        print("commit messages: not checked (the history before them is not here)")
        return 0
    log = git("log", f"--format=%h{FIELD}%p{FIELD}%s{FIELD}%b{RECORD}", f"{RULE_FROM}..HEAD")
    commits = [record.strip("\n").split(FIELD) for record in log.stdout.split(RECORD)[:-1]]
    broken = [
        f"{short} {subject[:50]}: {', '.join(found)}"
        for short, parents, subject, body in commits
        if (found := problems(parents, subject, body))
    ]
    for line in broken:
        print(line)
    print(f"commit messages: {len(commits) - len(broken)} of {len(commits)} keep the rule")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
