"""Every app's dependencies point one way: no two apps import each other, directly or not.

The project package (`alexis`) is wiring (settings, URLs) and a few stand-alone helpers that
apps use (`alexis.http`, `alexis.redaction`, ...): each of its modules is a node of its own.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


PROJECT = "alexis"


def _local_packages() -> set[str]:
    names = {config.name.split(".")[0] for config in apps.get_app_configs()}
    return {name for name in names if (ROOT / name / "__init__.py").exists()} | {PROJECT}


def _node(module: str) -> str:
    """An app's name, or `alexis.<module>` for a module of the project package."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == PROJECT and len(parts) > 1 else parts[0]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> set[str]:
    """Top-level modules imported at run time (annotations-only imports do not count)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(_node(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == PROJECT:
                found.update(f"{PROJECT}.{alias.name}" for alias in node.names)
            else:
                found.add(_node(node.module))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _graph() -> dict[str, set[str]]:
    packages = _local_packages()
    graph: dict[str, set[str]] = {}
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            node = f"{PROJECT}.{path.stem}" if package == PROJECT else package
            imported = _imports(ast.parse(path.read_text(), filename=str(path)))
            local = {name for name in imported if name.split(".")[0] in packages}
            graph.setdefault(node, set()).update(local - {node})
    for targets in list(graph.values()):
        for target in targets:
            graph.setdefault(target, set())
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_sees_the_apps_and_their_imports():
    graph = _graph()

    assert {"employees", "teams", "accounts", "sso", "audit"} <= set(graph)
    assert "employees" in graph["teams"]
    assert "accounts" in graph["sso"]


def test_no_app_imports_an_app_that_imports_it_back():
    assert _cycle(_graph()) is None, " -> ".join(_cycle(_graph()) or [])


def test_a_cycle_is_found_and_named():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
