"""Each module imports on its own; the running app loads no demo code; demo-data knows its place;
the module map's contracts (lint-imports, pyproject.toml) hold and name every module."""

import os
import pkgutil
import secrets
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor

import pytest

import tracker
from config import BASE_DIR

MODULES = sorted(
    module.name for module in pkgutil.walk_packages(tracker.__path__, prefix="tracker.")
)

IMPORT_LINTER = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract for contract in IMPORT_LINTER["contracts"]}
TOP_LEVEL = {name for name in MODULES if name.count(".") == 1}
FEATURES = {name for name in TOP_LEVEL if (BASE_DIR / name.replace(".", "/")).is_dir()}
# The factory's own helper: cli.py wires the features' commands in, so it may import them.
SHARED = TOP_LEVEL - FEATURES - {"tracker.cli"}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "TRACKER_CONFIG": "testing", **env},
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
        timeout=120,
    )


def test_the_package_has_the_expected_modules():
    """A guard for the test below: it must find the whole package, not an empty list."""
    for name in ("tracker.auth.permissions", "tracker.companies.queries", "tracker.review.views"):
        assert name in MODULES


def test_every_module_imports_on_its_own_in_a_fresh_interpreter():
    """A circular import shows only when its module is imported first: try each one first."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = pool.map(lambda module: run_python(f"import {module}"), MODULES)
        results = dict(zip(MODULES, outcomes, strict=True))
    failures = {
        name: result.stderr.strip().splitlines()[-1]
        for name, result in results.items()
        if result.returncode
    }
    assert failures == {}


@pytest.mark.parametrize(
    "module", ["tracker.auth", "tracker.auth.models", "tracker.companies.models", "tracker.review"]
)
def test_packages_and_models_do_not_load_the_web_layer(module):
    result = run_python(
        f"import sys, {module}; "
        "print(sorted(name for name in sys.modules if name.endswith('.views')))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_running_app_never_imports_the_demo_data_or_faker():
    result = run_python(
        "import sys, wsgi; "
        "wsgi.app.test_client().get('/'); "
        "print(sorted(n for n in sys.modules if n == 'faker' or n.startswith('tracker.demo')))",
        TRACKER_CONFIG="development",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_world_map_is_drawn_without_its_build_step_or_source_package(tmp_path):
    result = run_python(
        "import sys, wsgi; from flask_migrate import upgrade; "
        "from tracker.directory.countries import worldmap; "
        "wsgi.app.app_context().push(); upgrade(); "
        "status = wsgi.app.test_client().get('/countries').status_code; "
        "print(status, worldmap.world_map.cache_info().currsize, sorted(n for n in sys.modules "
        "if n.startswith(('pygal', 'tracker.directory.countries.worldmap_build'))))",
        TEST_DATABASE_URL=f"sqlite:///{tmp_path / 'map.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "200 1 []"  # drawn, from its data file


def test_demo_data_refuses_to_run_under_production(tmp_path):
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    result = subprocess.run(
        [flask, "--app", "wsgi", "demo-data", "--companies", "1"],
        env={
            **os.environ,
            "TRACKER_CONFIG": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "PUBLIC_BASE_URL": "https://tracker.example",
            "SINGLE_PROCESS": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        },
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
        timeout=120,
    )
    assert result.returncode == 1
    assert "refuses to run under this configuration" in result.stderr
    assert "Adding companies" not in result.stdout


def test_the_module_map_contracts_hold():
    """New imports across the map fail here and in `make lint`; today's are listed as ignored."""
    lint_imports = shutil.which("lint-imports", path=os.path.dirname(sys.executable))
    if lint_imports is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [lint_imports, "--no-cache"], capture_output=True, text=True, cwd=BASE_DIR, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contracts_name_every_shared_module_and_every_feature():
    """The contracts list modules by name: a new module must join its list, or it goes unchecked."""
    shared = CONTRACTS["shared-helpers"]
    assert set(shared["source_modules"]) == SHARED
    assert set(shared["forbidden_modules"]) == FEATURES
    staff_screens = {"tracker.review", "tracker.representatives", "tracker.staff"}
    features = FEATURES - staff_screens - {"tracker.api", "tracker.demo"}
    assert set(CONTRACTS["no-staff-screens-or-api"]["source_modules"]) == features
    runtime = FEATURES - {"tracker.demo"} | SHARED | {"tracker.cli"}
    assert set(CONTRACTS["no-demo-at-runtime"]["source_modules"]) == runtime
