"""Without Quarto the build says plainly why rendering was skipped."""
from __future__ import annotations

import subprocess

from bookbuild import render


def test_pip_failure_reason_names_the_failed_download():
    proc = subprocess.CompletedProcess([], 1, stdout="", stderr=(
        "  error: subprocess-exited-with-error\n  ╰─> [62 lines of output]\n"
        "      Downloading https://github.com/quarto-dev/quarto-cli/releases/download/v1/q.tar.gz\n"
        "      Error downloading Quarto: <urlopen error [Errno -2] Name or service not known>\n"
        "      Traceback (most recent call last):\n"))
    assert render.pip_failure_reason(proc) == (
        "Error downloading Quarto: <urlopen error [Errno -2] Name or service not known>")


def test_pip_failure_reason_falls_back_to_pips_error_line():
    proc = subprocess.CompletedProcess([], 1, stdout="", stderr="ERROR: Could not find a version\n")
    assert render.pip_failure_reason(proc) == "ERROR: Could not find a version"


def test_root_page_redirects_to_english_and_links_both_languages():
    page = render.redirect_page()
    assert 'http-equiv="refresh" content="0; url=en/index.html"' in page
    assert 'href="de/index.html"' in page


def test_quarto_runs_the_chapters_with_the_build_python():
    import sys
    assert render.quarto_env()["QUARTO_PYTHON"] == sys.executable


def _frozen_book(tmp_path):
    (tmp_path / "src" / "scratchnn").mkdir(parents=True)
    (tmp_path / "src" / "scratchnn" / "viz.py").write_text("LABEL = 'old'\n")
    (tmp_path / "_freeze" / "chapters" / "de" / "04-stride").mkdir(parents=True)
    return tmp_path


def test_frozen_chapter_outputs_go_when_scratchnn_changes_and_stay_when_nothing_did(tmp_path):
    """Quarto's ``freeze: auto`` re-executes a chapter only when its own source changes: after a
    change to scratchnn every unchanged chapter would keep its old figures and numbers."""
    root = _frozen_book(tmp_path)
    logged = []
    assert render.drop_stale_freeze(root, logged.append)  # no record yet: start afresh
    assert not (root / "_freeze").exists() and logged
    (root / "_freeze" / "chapters").mkdir(parents=True)
    assert not render.drop_stale_freeze(root, logged.append)  # same code: frozen results stay
    assert (root / "_freeze" / "chapters").exists()
    (root / "src" / "scratchnn" / "viz.py").write_text("LABEL = 'new'\n")
    assert render.drop_stale_freeze(root, logged.append)  # scratchnn changed: they go
    assert not (root / "_freeze").exists()
    (root / "src" / "scratchnn" / "sub").mkdir()
    (root / "src" / "scratchnn" / "sub" / "more.py").write_text("\n")
    (root / "_freeze").mkdir()
    assert render.drop_stale_freeze(root, logged.append)  # a new module counts too


def test_the_freeze_record_includes_the_package_versions(tmp_path, monkeypatch):
    root = _frozen_book(tmp_path)
    before = render.freeze_inputs_hash(root)
    versions = render.installed_versions()
    assert any(v.startswith("numpy==") for v in versions)
    assert any(v.lower().startswith("pillow==") for v in versions)
    monkeypatch.setattr(render, "installed_versions",
                        lambda: [v if not v.startswith("numpy==") else "numpy==0.0" for v in versions])
    assert render.freeze_inputs_hash(root) != before
