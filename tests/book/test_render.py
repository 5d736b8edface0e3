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
