"""The layout rules of docs/architecture.md, checked on the source tree itself.

import-linter (run by ``make test``) checks the layer contracts; these tests check what it cannot:
cycles through function-local imports, file sizes, where SQL may be written, and module state.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "microscout"
ADAPTERS = PACKAGE / "adapters"
SERVICES = PACKAGE / "services"
DOCS = Path(__file__).resolve().parents[2] / "docs"
MAX_LINES = 600
# SQL as people write it in code: upper-case statements, or a lower-case common table expression.
SQL = re.compile(
    r"\bSELECT\b|\bINSERT INTO\b|\bDELETE FROM\b|\bUPDATE \w+ SET\b|\bDROP TABLE\b|\bALTER TABLE\b"
    r"|\bCREATE (?:OR REPLACE )?(?:TEMP )?(?:TABLE|VIEW|INDEX|SEQUENCE)\b"
    r"|(?i:^\s*with\s+\w+\s+as\s*\()"
)
MUTABLE_CALLS = frozenset(
    {
        "dict",
        "list",
        "set",
        "defaultdict",
        "OrderedDict",
        "Counter",
        "deque",
        "WeakKeyDictionary",
        "WeakValueDictionary",
    }
)
# process-wide memo decorators; a cached_property lives and dies with its object, so it is fine
CACHES = frozenset({"lru_cache", "cache"})


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """Every microscout module ``path`` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {module for module in found if module in known and module != name}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as a path that returns to its start, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def docstring_nodes(tree: ast.Module) -> set[int]:
    """ids of the string constants that are docstrings (they may describe SQL in prose)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def sql_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstring_nodes(tree)
    hits = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in skip:
            continue
        if isinstance(node.value, str) and SQL.search(node.value):
            hits.append((node.lineno, node.value.strip()[:60]))
    return hits


def test_the_cycle_finder_finds_a_cycle_and_accepts_a_tree() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_sql_rule_tells_a_query_from_prose(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Runs SELECT in prose: a docstring."""\n'
        'QUERY = "SELECT count(*) FROM posts"\n'
        'OTHER = "with t as (select 1) select * from t"\n'
        'MESSAGE = "select a platform from the list"\n'
    )
    assert [line for line, _ in sql_strings(sample)] == [2, 3]


def test_no_import_cycle_among_microscout_modules() -> None:
    found = dict(modules())
    known = set(found)
    graph = {name: imported(name, path, known) for name, path in found.items()}
    assert sum(len(edges) for edges in graph.values()) > 100  # the graph was really read
    assert find_cycle(graph) is None


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.name))
def test_no_source_file_is_over_600_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(SRC)} has {lines} lines: split it by idea"


def test_sql_is_written_only_in_adapters() -> None:
    outside = [p for p in PACKAGE.rglob("*.py") if ADAPTERS not in p.parents]
    found = {str(p.relative_to(SRC)): hits for p in outside if (hits := sql_strings(p))}
    assert found == {}


def test_the_raw_duckdb_connection_is_used_only_in_adapters() -> None:
    found = []
    for path in PACKAGE.rglob("*.py"):
        if ADAPTERS in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "duck":
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []


def module_state(path: Path) -> list[str]:
    """Module-level mutable values and caching decorators in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(SRC) if SRC in path.parents else path.name
    found = []
    for node in tree.body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
            continue
        literal = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
        called = (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name | ast.Attribute)
            and (value.func.id if isinstance(value.func, ast.Name) else value.func.attr)
            in MUTABLE_CALLS
        )
        if isinstance(value, literal) or called:
            found.append(f"{where}:{node.lineno} mutable module value")
    for inner in ast.walk(tree):
        if isinstance(inner, ast.Global):
            found.append(f"{where}:{inner.lineno} global statement")
        if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for decorator in inner.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = getattr(target, "id", getattr(target, "attr", ""))
                if name in CACHES:
                    found.append(f"{where}:{inner.lineno} @{name}")
    return found


def test_the_state_rule_catches_module_dicts_and_caches(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import functools\nSEEN: dict[str, int] = {}\nNAMES = ('a',)\n"
        "@functools.lru_cache\ndef f() -> int:\n    return 1\n"
    )
    found = module_state(sample)
    assert [entry.split(" ", 1)[1] for entry in found] == ["mutable module value", "@lru_cache"]


def test_services_keep_no_module_state_or_caches() -> None:
    found = [entry for path in sorted(SERVICES.rglob("*.py")) for entry in module_state(path)]
    assert found == []


def test_every_module_path_in_the_architecture_page_exists() -> None:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`(src/microscout/[\w/.]*)`", text))
    dotted = set(re.findall(r"`(microscout(?:\.\w+)+)`", text))
    assert len(paths) + len(dotted) >= 20  # the page names the tree, not a handful of files
    root = SRC.parent
    missing = [p for p in sorted(paths) if not (root / p).exists()]
    found = dict(modules())
    for name in sorted(dotted):
        owner, _, attribute = name.rpartition(".")
        defined = owner in found and re.search(
            rf"^(?:class|def) {attribute}\b|^{attribute}\b", found[owner].read_text(), re.MULTILINE
        )
        if name not in found and not defined:
            missing.append(name)
    assert missing == []
