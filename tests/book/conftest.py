"""Fixtures for the book verification: the repository, a fresh regeneration, the checks' inputs."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from bookbuild import config, convert  # noqa: E402


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def regenerated(tmp_path_factory) -> Path:
    """Everything ``make convert`` generates, regenerated from myst/ and i18n/ into a temp dir."""
    out = tmp_path_factory.mktemp("regenerated")
    problems = convert.convert_all(out_root=out, root=ROOT, strict=True, log=lambda *_: None)
    assert not problems, problems
    return out


@pytest.fixture(scope="session")
def stems() -> list[str]:
    return [p.stem for p in config.sources(ROOT)]


# -- a local server and Chromium, shared by the browser checks of this folder -----------------
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextlib.contextmanager
def _serve(directory: Path):
    """A static server over ``directory`` on 127.0.0.1 (random free port); yields its base URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def serve():
    """``with serve(directory) as url:`` a static server over ``directory`` on 127.0.0.1."""
    return _serve


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per module. Missing Chromium is a failure, not a skip."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does), "
                    "or set CHROMIUM to a Chromium/Chrome")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
