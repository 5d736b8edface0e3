"""The repository carries everything its tests, scripts and build read (issue 10)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parents[2]
# Written in two pieces so this file does not match itself.
OUTSIDE = ".." + "/shared"
SCANNED = ["tests", "scripts", "src", "Makefile", ".ci"]
SKIP_SUFFIXES = {".png", ".gif", ".jpg", ".jpeg", ".pdf", ".ipynb", ".pyc", ".woff", ".woff2"}


def _files():
    for name in SCANNED:
        path = ROOT / name
        if path.is_file():
            yield path
        elif path.is_dir():
            for p in sorted(path.rglob("*")):
                generated = "__pycache__" in p.parts or any(part.endswith(".egg-info") for part in p.parts)
                if p.is_file() and p.suffix not in SKIP_SUFFIXES and not generated:
                    yield p


def test_nothing_reads_the_shared_folder_outside_the_repository():
    hits = []
    for path in _files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.split("\n"), 1):
            if OUTSIDE in line:
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert hits == [], "paths outside the repository:\n" + "\n".join(hits)


def test_the_scan_finds_a_planted_reference(tmp_path, monkeypatch):
    """The check itself works: a file under a scanned folder naming the folder is caught."""
    import test_self_contained as mod

    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "x.py").write_text(f'FIXTURE = "{OUTSIDE}/fixtures/a.md"\n', encoding="utf-8")
    monkeypatch.setattr(mod, "ROOT", tmp_path)
    try:
        mod.test_nothing_reads_the_shared_folder_outside_the_repository()
    except AssertionError as exc:
        assert "tests/x.py:1:" in str(exc)
    else:
        raise AssertionError("the planted reference was not found")
