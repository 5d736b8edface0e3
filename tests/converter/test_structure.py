"""One-way stages (issue 11, item 8): parse → transform → emit → account → run.

No module of ``myst2qmd`` imports one of a later stage (type-only imports under
``TYPE_CHECKING`` excepted: they do not run), the runtime import graph has no cycle, and
no class is longer than 250 lines.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "scripts" / "myst2qmd"
STAGES = {
    # 0: shared model and helpers every stage may use
    "__init__": 5, "model": 0, "report": 0, "labels": 0, "placeholders": 0, "i18n": 0, "macros": 0,
    "bibtex": 0,
    # 1: parse
    "comments": 1, "parser": 1,
    # 2: transform
    "inline": 2, "plaintext": 2, "exercises": 2, "blocks": 2, "figures": 2, "directives": 2, "convert": 2,
    # 3: emit
    "frontmatter": 3, "book": 3, "slides": 3, "notebook": 3,
    # 4: account
    "accounting": 4,
    # 5: run
    "document": 5, "cli": 5,
}


def _runtime_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.ImportFrom) or node.level != 1:
            continue
        if node.module:
            out.add(node.module.split(".")[0])
        else:
            out.update(a.name for a in node.names)
    return out


def graph() -> dict[str, set[str]]:
    return {p.stem: _runtime_imports(p) for p in sorted(PACKAGE.glob("*.py"))}


def test_every_module_has_a_stage():
    assert set(graph()) == set(STAGES)


def test_no_module_imports_a_later_stage():
    late = [f"{mod} (stage {STAGES[mod]}) imports {dep} (stage {STAGES[dep]})"
            for mod, deps in graph().items() for dep in deps if STAGES[dep] > STAGES[mod]]
    assert late == []


def test_the_import_graph_has_no_cycle():
    g = graph()
    state: dict[str, int] = {}

    def visit(mod, path):
        if state.get(mod) == 1:
            raise AssertionError("import cycle: " + " -> ".join(path + [mod]))
        if state.get(mod) == 2:
            return
        state[mod] = 1
        for dep in sorted(g[mod]):
            visit(dep, path + [mod])
        state[mod] = 2

    for mod in g:
        visit(mod, [])


def test_no_class_is_longer_than_250_lines():
    long = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > 250:
                long.append(f"{path.name}:{node.lineno} {node.name}: {node.end_lineno - node.lineno + 1} lines")
    assert long == []
