"""The import graph of the `prdimp` package: no cycle among its modules nor among its packages,
each package importing only the packages it may (see prdimp/__init__.py), and the leaves of
`procedural` importing nothing of the package. Read from the source (every import statement,
including those inside functions), so nothing is executed."""
import ast
import os
from typing import Dict, List, Set

import pytest

PACKAGE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "prdimp")

# what each package may import (besides itself); everything else is a layering error
ALLOWED = {
    "net": set(),
    "export": {"net"},
    "convert": {"net", "export"},
    "procedural": set(),
    "training": {"net", "export", "convert", "procedural"},
}
LEAVES = {"prdimp.procedural.noise", "prdimp.procedural.steering", "prdimp.procedural.sequence_io"}


def module_files() -> Dict[str, str]:
    """{dotted module name: path} of every module of the package (a package is its __init__)."""
    out = {}
    root = os.path.dirname(PACKAGE_DIR)
    for folder, _, files in os.walk(PACKAGE_DIR):
        for name in files:
            if name.endswith(".py"):
                rel = os.path.relpath(os.path.join(folder, name), root)[:-3].split(os.sep)
                if rel[-1] == "__init__":
                    rel = rel[:-1]
                out[".".join(rel)] = os.path.join(folder, name)
    return out


def imports_of(name: str, path: str, modules: Set[str]) -> Set[str]:
    """The package's modules that `name` imports anywhere in its file (`from X import m` counts as
    importing module X.m where that is a module, else X)."""
    is_package = os.path.basename(path) == "__init__.py"
    here = name if is_package else name.rsplit(".", 1)[0]
    found = set()
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[:len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            targets = [f"{origin}.{a.name}" if f"{origin}.{a.name}" in modules else origin for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in modules:  # a name inside a module: the module
                t = t.rsplit(".", 1)[0] if "." in t else ""
            if t and t != name and t != "prdimp":
                found.add(t)
    return found


def graph() -> Dict[str, Set[str]]:
    files = module_files()
    return {m: imports_of(m, p, set(files)) for m, p in files.items()}


def find_cycle(edges: Dict[str, Set[str]]) -> List[str]:
    """One cycle as a list of nodes (first == last), or [] when the graph has none."""
    state: Dict[str, int] = {}
    stack: List[str] = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(edges.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return []

    for n in sorted(edges):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return []


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_graph_is_read_from_the_source():
    g = graph()
    assert {"prdimp.net.network", "prdimp.export.model_folder", "prdimp.training.__main__",
            "prdimp.procedural.nuclei", "prdimp.convert.official"} <= set(g)
    assert "prdimp.net.backbones" in g["prdimp.net.network"]           # from .backbones import ...
    assert "prdimp.net.nanotrack_backbone" in g["prdimp.net.backbones"]  # inside a function
    assert "prdimp.training.sampler" in g["prdimp.training.feature_bank"]  # from . import sampler
    assert "prdimp.convert.nanotrack" in g["prdimp.training.__main__"]   # from ..convert.nanotrack import


def test_finds_a_cycle_where_there_is_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_module_import_cycle():
    cycle = find_cycle(graph())
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_no_package_import_cycle_and_each_package_imports_only_what_it_may():
    packages: Dict[str, Set[str]] = {}
    wrong = []
    for module, imported in graph().items():
        src = package_of(module)
        for target in imported:
            dst = package_of(target)
            if dst != src:
                packages.setdefault(src, set()).add(dst)
                if src in ALLOWED and dst not in ALLOWED[src]:
                    wrong.append(f"{module} imports {target}")
    assert not find_cycle(packages), "package cycle: " + " -> ".join(find_cycle(packages))
    assert not wrong, "; ".join(sorted(wrong))
    assert set(packages) | {p for ps in packages.values() for p in ps} <= set(ALLOWED)


@pytest.mark.parametrize("leaf", sorted(LEAVES))
def test_noise_steering_and_sequence_io_are_leaves(leaf):
    assert graph()[leaf] == set()


def test_no_module_is_left_at_the_top_of_the_package():
    assert sorted(m for m in module_files() if m.count(".") == 1) == [
        "prdimp.convert", "prdimp.export", "prdimp.net", "prdimp.procedural", "prdimp.training"]
