"""The package's shape: no module imports one that imports it back (directly or around a
loop), and none reaches into a third-party package's private names.

A cycle means two modules can only be read, tested or changed together, and that one of
them sees the other half-made when it is imported first; hiding an import under
TYPE_CHECKING or inside a function keeps the cycle, so those imports count too. A private
name (`_x`) of a library is not its interface: its next release may change it silently."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "generator"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, ast.Module]:
    return {module_name(path): ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in sorted(PACKAGE.rglob("*.py"))}


def imported_names(module: str, tree: ast.Module, is_package: bool) -> list[tuple[str, str | None, int]]:
    """(module imported, name taken from it or None, line) for every import in `tree`, at any
    depth: relative imports resolved against `module`."""
    found: list[tuple[str, str | None, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found += [(base, alias.name, node.lineno) for alias in node.names]
    return found


def import_graph() -> dict[str, set[str]]:
    """Each generator module and the generator modules it imports (`from generator.x import y`
    imports generator.x.y when that is a module, else generator.x)."""
    trees = modules()
    packages = {name for name in trees if (PACKAGE.parent / Path(*name.split("."))).is_dir()}
    graph: dict[str, set[str]] = {}
    for name, tree in trees.items():
        edges: set[str] = set()
        for target, taken, _ in imported_names(name, tree, name in packages):
            if taken is not None and f"{target}.{taken}" in trees:
                edges.add(f"{target}.{taken}")
            elif target in trees:
                edges.add(target)
        edges.discard(name)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm), each
    sorted: every module in one imports every other, directly or around a loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph)))
    try:
        for node in sorted(graph):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return found


def loop_through(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """One loop of imports inside `component`, from its first module back to it (for the message)."""
    start = component[0]
    members = set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & members):
            if target == start:
                return paths[node] + [start]
            if target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    return component


def test_no_module_imports_one_that_imports_it_back():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles (each: its modules, then one loop):\n" + "\n".join(
        f"  {', '.join(component)}\n    {' -> '.join(loop_through(component, graph))}" for component in found
    )


def test_the_cycle_finder_finds_a_loop_and_only_loops():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_no_private_names_of_other_packages():
    private = []
    for name, tree in modules().items():
        for target, taken, line in imported_names(name, tree, False):
            top = target.split(".")[0]
            if top in ("generator", "") or top in sys.stdlib_module_names:
                continue
            parts = target.split(".") + ([taken] if taken else [])
            if any(part.startswith("_") and not part.startswith("__") for part in parts):
                private.append(f"{name}:{line}: {'.'.join(parts)}")
        libraries = third_party_names(tree)
        private += [f"{name}:{node.lineno}: {ast.unparse(node)}" for node in ast.walk(tree) if _private_attribute(node, libraries)]
    assert not private, "private names of third-party packages:\n" + "\n".join(private)


def third_party_names(tree: ast.Module) -> set[str]:
    """The names a module binds to third-party modules (`import jinja2`, `import lxml.html as h`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top != "generator" and top not in sys.stdlib_module_names:
                    names.add(alias.asname or top)
    return names


def _private_attribute(node: ast.AST, libraries: set[str]) -> bool:
    """`library._x`, or `getattr(library, "_x", ...)`, for a name bound to a third-party module."""
    if isinstance(node, ast.Attribute):
        owner, attribute = node.value, node.attr
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr") and len(node.args) >= 2:
        owner, attribute = node.args[0], node.args[1].value if isinstance(node.args[1], ast.Constant) else ""
    else:
        return False
    named = isinstance(owner, ast.Name) and owner.id in libraries
    return named and isinstance(attribute, str) and attribute.startswith("_") and not attribute.startswith("__")


# The stages between load and write: each a function of records, so that it can be memoized,
# run in a worker, and tested without a folder. Files are read at the load and cache edges
# (content/load.py, documents.py, theme.py, ...) and written by write.py and the caches.
STAGES = ("generator.content.parse", "generator.markdown", "generator.anchor", "generator.graph", "generator.emit")
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "rglob", "glob", "iterdir", "scandir", "mkdir", "unlink", "replace_file"}


def test_stages_read_and_write_no_files():
    found = []
    for name, tree in modules().items():
        if not any(name == stage or name.startswith(stage + ".") for stage in STAGES):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id if isinstance(node.func, ast.Name) else ""
                if called in FILE_CALLS:
                    found.append(f"{name}:{node.lineno}: {ast.unparse(node.func)}")
    assert not found, "file access in a stage module:\n" + "\n".join(found)
