"""Fixtures of the converter tests; the helpers are in myst_helpers.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from myst_helpers import LEGACY


@pytest.fixture
def legacy() -> Path:
    return LEGACY


@pytest.fixture
def in_tmp(tmp_path, monkeypatch) -> Path:
    """Run in an empty directory so source names in headers are just file names."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
