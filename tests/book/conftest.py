"""Fixtures for the book verification: the repository, a fresh regeneration, the checks' inputs."""
from __future__ import annotations

import sys
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
