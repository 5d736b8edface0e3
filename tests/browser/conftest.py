"""Fixtures for the browser explainers: a localhost server, one Chromium per session, watched pages.

The server serves the repository root on 127.0.0.1 with a random free port, so the
test pages load assets/explorers/explorers.{js,css} exactly as the book ships them.
Every page records console errors, uncaught exceptions and requests; a test fails
if any error was logged or any request left 127.0.0.1.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="session")
def server():
    """Base URL of a static server over the repository root (127.0.0.1, random port)."""
    handler = functools.partial(_QuietHandler, directory=str(REPO))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session. Missing Chromium is a failure, not a skip."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it (apt-get install -y chromium); "
                    "the browser tests must run in CI")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """What a page did: console errors, page errors, every requested URL."""

    def __init__(self):
        self.errors: list[str] = []
        self.requests: list[str] = []

    def foreign(self) -> list[str]:
        return [u for u in self.requests
                if not u.startswith("data:") and urlsplit(u).hostname != "127.0.0.1"]


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def watch():
    return Watch()


@pytest.fixture
def open_page(context, server, watch):
    """open_page("pages/page.html?lang=de") -> a loaded Playwright page, watched; checked at teardown."""
    pages = []

    def _open(path: str, **emulate):
        page = context.new_page()
        page.on("console", lambda m: watch.errors.append(f"console.{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: watch.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: watch.requests.append(r.url))
        if emulate:
            page.emulate_media(**emulate)
        page.goto(f"{server}/tests/browser/{path}")
        page.wait_for_function("() => document.readyState === 'complete'")
        pages.append(page)
        return page

    yield _open
    assert not watch.errors, f"console errors: {watch.errors}"
    assert not watch.foreign(), f"requests to hosts other than 127.0.0.1: {watch.foreign()}"


@pytest.fixture(scope="module")
def _shared(browser, server):
    """One loaded pages/page.html per test module (loading a page costs more than most tests)."""
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    page = ctx.new_page()
    log = Watch()
    page.on("console", lambda m: log.errors.append(f"console.{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: log.errors.append(f"pageerror: {e}"))
    page.on("request", lambda r: log.requests.append(r.url))
    page.goto(f"{server}/tests/browser/pages/page.html")
    page.wait_for_function("() => document.readyState === 'complete'")
    yield page, log
    ctx.close()


@pytest.fixture
def explorer(_shared):
    """explorer("conv-arithmetic", i=5, lang="de") -> locator of a freshly mounted explorer on the shared page.

    The previous test's explorers are removed first; the test fails if the page logged
    an error or requested another host meanwhile.
    """
    page, log = _shared
    n_errors, n_requests = len(log.errors), len(log.requests)
    page.evaluate("() => document.getElementById('sandbox').replaceChildren()")

    def _make(kind: str, **data):
        attrs = {f"data-{k.replace('_', '-')}": str(v) for k, v in data.items()}
        el_id = page.evaluate("""([kind, attrs]) => {
            const el = document.createElement('div');
            el.id = 'x' + Math.random().toString(36).slice(2);
            for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
            document.getElementById('sandbox').appendChild(el);
            CFSExplorers.mount(el, {kind});
            return el.id;
        }""", [kind, attrs])
        return page.locator(f"#{el_id}")

    _make.page = page
    yield _make
    new_errors = log.errors[n_errors:]
    foreign = [u for u in log.requests[n_requests:] if urlsplit(u).hostname != "127.0.0.1"
               and not u.startswith("data:")]
    assert not new_errors, f"console errors: {new_errors}"
    assert not foreign, f"requests to hosts other than 127.0.0.1: {foreign}"
