"""The code stays as the project's rules say: lint- and type-clean, and `domain/` imports
nothing from the outer layers or I/O libraries."""

import ast
import re
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


def imported_modules(path: Path) -> list[str]:
    """The absolute module names `path` imports."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


def test_the_domain_imports_only_the_standard_library_and_itself() -> None:
    for path in (ROOT / "domain").rglob("*.py"):
        for name in imported_modules(path):
            assert name.split(".")[0] not in OUTER, f"{path}: imports {name}"


NEVER_IMPORTS = {
    "api": {"workers"},
    "commands": {"api", "workers"},
    "projections": {"commands", "api", "workers"},
    "adapters": {"commands", "projections", "api", "workers"},
}
"""The layer directions, checked here on their own as well as by the import contracts."""


def test_no_layer_imports_one_above_it() -> None:
    found = [f"{path.relative_to(ROOT)}: imports {name}"
             for layer, above in NEVER_IMPORTS.items()
             for path in sorted((ROOT / layer).rglob("*.py"))
             for name in imported_modules(path) if name.split(".")[0] in above]
    assert not found, "\n".join(found)


LAYERS = ("domain", "commands", "projections", "adapters", "api", "workers")


def test_the_layer_roots_hold_no_module_of_a_context() -> None:
    """A context's code is in its package in each layer, never a `<context>_x.py` at a root."""
    contexts = {package.name for layer in ("domain", "commands", "projections", "api")
                for package in (ROOT / layer).iterdir()
                if package.is_dir() and (package / "__init__.py").exists()}
    found = [f"{path.relative_to(ROOT)}" for layer in LAYERS
             for path in sorted((ROOT / layer).glob("*.py"))
             if path.stem in contexts or path.stem.split("_")[0] in contexts]
    assert not found, "modules of a context at a layer root: " + ", ".join(found)


SQL_START = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP)\b", re.IGNORECASE)
SQL_SHAPE = re.compile(  # what follows the keyword in a statement, not in an English sentence
    r"^\s*(select\s.*(\bfrom\b|\w\()|insert\s+into\b|update\s+[\w.\"]+\s+set\b|delete\s+from\b"
    r"|with\s+(recursive\s+)?\w+(\s*\([^)]*\))?\s+as\b"
    r"|(create|alter|drop)\s+(or\s+replace\s+|unique\s+|temp(orary)?\s+)?"
    r"(table|index|schema|view|function|trigger|extension|type|sequence|materialized)\b)",
    re.IGNORECASE | re.DOTALL)
NO_SQL_IN = ("api", "workers", "commands")
"""Each table's SQL stands in the module that owns it: an adapter or a projection's queries."""


def is_sql(text: str) -> bool:
    return bool(SQL_START.match(text) and SQL_SHAPE.match(text))


def sql_constants(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every string constant (an f-string as a whole) that is an SQL statement;
    docstrings are not looked at."""
    skipped = {id(node.body[0].value) for node in ast.walk(tree)
               if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
               and node.body and isinstance(node.body[0], ast.Expr)
               and isinstance(node.body[0].value, ast.Constant)}
    skipped |= {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                for part in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(str(v.value) if isinstance(v, ast.Constant) else "x" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if id(node) not in skipped and is_sql(text):
            found.append((node.lineno, text))
    return found


def test_the_sql_check_tells_statements_from_sentences() -> None:
    tree = ast.parse('"""Select a file from the disk; update the set."""\n'
                     'A = "SELECT id FROM t WHERE x = %s"\nB = "insert into t (a) values (1)"\n'
                     'C = f"DELETE FROM {T} WHERE id = %s"\nD = "select pg_notify(%s, \'\')"\n'
                     'E = "WITH x AS (SELECT 1) SELECT * FROM x"\nF = "UPDATE jobs SET a = 1"\n'
                     'G = "Update a project"\nH = " with your e-mail address ("\n'
                     'I = "Create a new project"\nJ = "Delete API key"\nK = "drop table t"\n')
    assert [line for line, _ in sql_constants(tree)] == [2, 3, 4, 5, 6, 7, 12]


def test_no_sql_stands_in_api_workers_or_command_handlers() -> None:
    found = [f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
             for folder in NO_SQL_IN for path in sorted((ROOT / folder).rglob("*.py"))
             for line, text in sql_constants(ast.parse(path.read_text()))]
    assert not found, "SQL outside its table's owning module:\n" + "\n".join(found)
