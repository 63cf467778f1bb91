"""The code stays as the project's rules say: lint- and type-clean, and `domain/` imports
nothing from the outer layers or I/O libraries."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTER = {"commands", "projections", "adapters", "api", "workers", "litestar", "psycopg", "nats",
         "openai", "anthropic", "httpx", "msgspec"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    done = run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing() -> None:
    done = run("mypy", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_import_contracts_hold() -> None:
    """The layer and context rules of `[tool.importlinter]` in pyproject.toml."""
    done = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_domain_imports_only_the_standard_library_and_itself() -> None:
    for path in (ROOT / "domain").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in OUTER, f"{path}: imports {name}"
