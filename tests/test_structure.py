"""The shape of the code: layers that do not import each other in circles, installed names that
collide with nothing, a library that never prints."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"passeur": ROOT / "passeur", "passeur.translate": ROOT / "translate", "passeur.glossary": ROOT / "glossary",
           "passeur.summarize": ROOT / "summarize", "passeur.briefing": ROOT / "briefing"}
LIBRARY = ("passeur.translate", "passeur.glossary", "passeur.summarize")


def modules() -> dict[str, Path]:
    found = {}
    for package, folder in FOLDERS.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            name = ".".join((package, *parts)).removesuffix(".__init__")
            if package == "passeur" and parts[0] in ("translate", "glossary", "summarize", "briefing"):
                continue
            found[name] = path
    return found


def imports(path: Path, name: str) -> set[str]:
    """Every passeur module a module imports, at the top or inside functions."""
    out = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in out if m == "passeur" or m.startswith("passeur.")}


def unit(module: str) -> str:
    """The layer a module belongs to: a subpackage (passeur.translate, passeur.cli) or a core module."""
    parts = module.split(".")
    return ".".join(parts[:2])


def graph(level) -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = {m for m in imports(path, name) if m in known}
        edges.setdefault(level(name), set()).update(level(t) for t in targets if level(t) != level(name))
    return edges


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_packages():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]  # the walk finds one when there is one
    edges = graph(unit)
    assert "passeur.glossary" in edges["passeur.pipeline"] and "passeur.api" in edges["passeur.cli"]
    assert "passeur.api" in edges["passeur.server"]
    assert cycle(edges) is None


def test_no_import_cycle_between_modules():
    assert cycle(graph(lambda m: m)) is None


def test_library_packages_are_layers():
    """translate, glossary and summarize use the core only: never each other, the pipeline or the CLI."""
    edges = graph(unit)
    for package in LIBRARY:
        assert not edges.get(package, set()) & {*LIBRARY, "passeur.pipeline", "passeur.api", "passeur.cli",
                                                 "passeur.briefing"}, package


FRONT_ENDS = ("passeur.cli", "passeur.server")


def test_front_ends_call_only_the_api():
    """The command line and the server import nothing of passeur's but passeur.api (and their own modules)."""
    known = modules()
    assert any(name.startswith("passeur.server") for name in known)
    for name, path in known.items():
        front = next((f for f in FRONT_ENDS if name == f or name.startswith(f + ".")), None)
        if front is None:
            continue
        outside = {m for m in imports(path, name) if not (m == front or m.startswith(front + "."))}
        assert all(m in ("passeur", "passeur.api") or m.startswith("passeur.api.") for m in outside), (name, outside)
        assert "passeur" not in outside or "passeur.api" in outside, (name, outside)  # `from passeur import api`


def test_neither_front_end_imports_the_other():
    edges = graph(unit)
    assert "passeur.server" not in edges.get("passeur.cli", set())
    assert "passeur.cli" not in edges.get("passeur.server", set())


def test_the_library_never_talks_to_a_terminal():
    for name, path in modules().items():
        if name.startswith(FRONT_ENDS):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        names = {a.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                 for a in node.names} | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not names & {"click", "rich", "rich.console"}, name
        calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        assert "print" not in calls, name
        assert "sys.exit" not in ast.unparse(tree), name


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    return next(out.glob("passeur-*.whl"))


def test_installed_names_are_namespaced(wheel):
    """The wheel installs passeur and passeur.* only: no top-level translate, glossary, briefing or main."""
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"passeur"}
    for data in ("passeur/glossary/data/newsroom.tsv", "passeur/translate/data/abbreviations.fr.txt",
                 "passeur/data/probe.fr.tsv"):
        assert data in names


def test_passeur_beside_packages_named_translate_and_glossary(wheel, tmp_path):
    """Installed next to distributions that own the names translate, glossary and briefing, both work."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    for name in ("translate", "glossary", "briefing", "summarize"):
        (site / name).mkdir()
        (site / name / "__init__.py").write_text(f"OWNER = 'another distribution named {name}'\n")
    example = ROOT / "examples" / "azure-cloud.fr.txt"
    code = ("import translate, glossary, briefing, summarize; "
            "assert all(m.OWNER.startswith('another') for m in (translate, glossary, briefing, summarize)); "
            f"from passeur import api; assert len(api.read_articles([{str(example)!r}])[0].segments) == 26; "
            "from passeur.cli import main; main()")
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONNOUSERSITE": "1"}
    out = subprocess.run([sys.executable, "-S", "-c", f"import sys; sys.path[:0] = [{str(site)!r}] + "
                          f"[p for p in {sys.path!r} if 'site-packages' in p]; {code}",
                          "glossary", "show", "--format", "tsv"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert "tsahal\tTsahal" in out.stdout
