"""One distribution per purpose: the scratchnn wheel holds scratchnn only; the converter is its own.

Each wheel is built from a copy of just its sources (so the build leaves nothing in the checkout)
and its file list and entry points are read from the wheel itself.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def build_wheel(src: Path, tmp: Path) -> zipfile.ZipFile:
    out = tmp / "dist"
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "-q", "-w", str(out), str(src)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (wheel,) = out.glob("*.whl")
    return zipfile.ZipFile(wheel)


def top_level(wheel: zipfile.ZipFile) -> set[str]:
    return {name.split("/")[0] for name in wheel.namelist()}


@pytest.fixture(scope="module")
def scratchnn_wheel(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scratchnn")
    src = tmp / "src-tree"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "src", src / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    return build_wheel(src, tmp)


@pytest.fixture(scope="module")
def converter_wheel(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("myst2qmd")
    src = tmp / "src-tree"
    shutil.copytree(ROOT / "scripts", src, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    return build_wheel(src, tmp)


def test_the_scratchnn_wheel_contains_scratchnn_only(scratchnn_wheel):
    dist_info = {n for n in top_level(scratchnn_wheel) if n.endswith(".dist-info")}
    assert top_level(scratchnn_wheel) - dist_info == {"scratchnn"}
    assert any(n.startswith("scratchnn/functional/") for n in scratchnn_wheel.namelist())


def test_the_scratchnn_wheel_installs_no_command_and_needs_only_numpy_and_matplotlib(scratchnn_wheel):
    names = scratchnn_wheel.namelist()
    assert not any(n.endswith("entry_points.txt") for n in names)
    meta = scratchnn_wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    required = sorted(l.split(":", 1)[1].split(">")[0].split("=")[0].strip()
                      for l in meta.splitlines() if l.startswith("Requires-Dist:") and "extra ==" not in l)
    assert required == ["matplotlib", "numpy"]


def test_the_converter_wheel_holds_myst2qmd_and_its_command_only(converter_wheel):
    dist_info = {n for n in top_level(converter_wheel) if n.endswith(".dist-info")}
    assert top_level(converter_wheel) - dist_info == {"myst2qmd"}
    names = converter_wheel.namelist()
    entry = converter_wheel.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "myst2qmd = myst2qmd.cli:main" in entry
    assert not any(n.startswith(("bookbuild/", "scratchnn/")) for n in names)
