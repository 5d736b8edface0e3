"""Run every chapter's code through a Jupyter kernel (nbclient) and time it.

Code cells are identical in both languages, so each chapter is executed once, from its German
notebook; the English notebook is proven equal cell by cell (:func:`verify.check_parity`) and
receives the same outputs. Results: ``_build/notebooks/<lang>/<stem>.ipynb`` and
``_build/execution-times.json``. A chapter slower than ``config.CHAPTER_TIME_LIMIT`` fails.
"""
from __future__ import annotations

import contextlib
import copy
import json
import re
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

from . import config, verify

KERNEL = "cfs-python3"


def kernelspec_dir(build: Path = config.BUILD_DIR) -> Path:
    """A kernelspec running *this* Python (so the kernel sees the venv's scratchnn, torch, …).

    Written under ``_build/jupyter/kernels`` and found through ``JUPYTER_PATH``; no system-wide
    kernelspec is installed or trusted.
    """
    spec = build / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        # No shared IPython history database: other kernels on the machine must not lock it. The
        # kernel's own log stays at ERROR: ipykernel logs a TCP-transport notice at WARNING on
        # every start, which buried the build's real messages (cells' warnings still show).
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--HistoryManager.enabled=False", "--IPKernelApp.log_level=ERROR"],
        "display_name": "Python 3 (book build)", "language": "python",
        # One thread per kernel: the machines are small and shared, and oversubscribed OpenMP/BLAS
        # threads (torch, numpy) spin instead of working; chapters use tiny tensors anyway.
        "env": {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "OMP_NUM_THREADS": "1",
                "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                "IPYTHONDIR": str((build / "ipython").resolve())},
    }, indent=1), encoding="utf-8")
    return spec.parent.parent


@contextlib.contextmanager
def kernel_transport() -> Iterator[Config]:
    """A ``NotebookClient`` config whose kernel talks over Unix domain sockets (POSIX), not TCP.

    jupyter_client picks five free TCP ports, closes them and hands them to the kernel; a kernel
    started at the same moment by another process (``make test`` beside ``make book``, or two
    pytest workers) can take one of them in between. Observed here: a chapter's kernel went
    silent for the 300 s cell timeout. Socket files in a temporary directory of our own (short:
    socket paths must stay under 108 bytes) cannot collide; it is removed on exit. Windows has no
    IPC transport: there the config is empty (TCP).
    """
    with tempfile.TemporaryDirectory(prefix="cfs-kernel-") as socket_dir:
        config = Config()
        if os.name == "posix":
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = os.path.join(socket_dir, "kernel")
        yield config


@dataclass
class Result:
    stem: str
    seconds: float
    code_cells: int
    error: str | None = None
    solution_blocks: int = 0
    startup: float = 0.0
    shutdown: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.seconds <= config.CHAPTER_TIME_LIMIT


@dataclass
class Timing:
    """Seconds spent starting the kernel, running the cells, shutting down."""

    startup: float = 0.0
    cells: float = 0.0
    shutdown: float = 0.0


def execute_notebook(nb: nbformat.NotebookNode, cwd: Path, build: Path = config.BUILD_DIR,
                     timeout: int = 300) -> tuple[Timing, str | None]:
    """Execute ``nb`` in place; return (timing, error message or None).

    The chapter's time is ``timing.cells``: kernel start-up and shutdown belong to the machine
    (on a busy shared machine they vary a lot), the cells to the chapter.
    """
    jupyter_dir = kernelspec_dir(build)
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(jupyter_dir) + (os.pathsep + old if old else "")
    timing = Timing()
    error = None
    start = time.perf_counter()
    ready = done = None
    try:
        with kernel_transport() as transport:
            client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout,
                                    resources={"metadata": {"path": str(cwd)}}, config=transport)
            with client.setup_kernel():
                ready = time.perf_counter()
                info = client.wait_for_reply(client.kc.kernel_info())
                nb.metadata["language_info"] = info["content"]["language_info"]
                try:
                    for index, cell in enumerate(nb.cells):
                        client.execute_cell(cell, index)
                except CellExecutionError as exc:
                    error = str(exc).strip().splitlines()[-1] if str(exc).strip() else repr(exc)
                done = time.perf_counter()
                client.set_widgets_metadata()
    finally:
        end = time.perf_counter()
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old
    ready = ready or end
    done = done or end
    timing.startup, timing.cells, timing.shutdown = ready - start, done - ready, end - done
    return timing, error


_PY_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)


def solution_blocks(nb: nbformat.NotebookNode) -> list[str]:
    """The ```python blocks in Markdown cells (worked exercise solutions), in order."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            # callouts are block quotes in notebooks: read the text without the "> " prefixes
            text = re.sub(r"^(?:>[ \t]?)+", "", "".join(cell.source), flags=re.M)
            out += [m.group(1) for m in _PY_BLOCK.finditer(text)]
    return out


def execute_with_solutions(nb: nbformat.NotebookNode, cwd: Path, build: Path) -> tuple[Timing, str | None]:
    """Execute ``nb`` in place, then, in the same kernel, its solution blocks (not kept in ``nb``).

    Solutions use the chapter's names (``coverage``, ``F``, …), so they run after its last cell.
    """
    blocks = solution_blocks(nb)
    run = copy.deepcopy(nb)
    run.cells += [nbformat.v4.new_code_cell(b, metadata={"tags": ["solution"]}) for b in blocks]
    timing, error = execute_notebook(run, cwd=cwd, build=build)
    n = len(nb.cells)
    nb.cells = run.cells[:n]
    failed = [i for i, c in enumerate(run.cells[n:], 1)
              if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    if error is not None and failed:
        error = f"{error} (in solution block {failed[0]})"
    return timing, error


def graft_outputs(executed: nbformat.NotebookNode, other: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``other`` (same code cells, other language) with the outputs of ``executed``."""
    if [verify.code_key(c) for c in verify.notebook_code(executed)] != \
            [verify.code_key(c) for c in verify.notebook_code(other)]:
        raise ValueError("graft_outputs: the notebooks' code cells differ; run the other one instead")
    out = copy.deepcopy(other)
    runs = iter([c for c in executed.cells if c.cell_type == "code"])
    for cell in out.cells:
        if cell.cell_type == "code":
            src = next(runs)
            cell.outputs = copy.deepcopy(src.outputs)
            cell.execution_count = src.execution_count
    return out


def execute_book(stems: list[str] | None = None, root: Path = config.ROOT,
                 build: Path | None = None, log=print) -> list[Result]:
    """Execute each chapter's German notebook, write both languages' executed notebooks and times."""
    build = build or root / "_build"
    results = []
    stems = stems or [p.stem for p in config.sources(root)]
    for stem in stems:
        src = config.generated("notebooks", config.SOURCE_LANG, stem, root)
        nb = nbformat.read(src, as_version=4)
        timing, error = execute_with_solutions(nb, cwd=src.parent, build=build)
        res = Result(stem, timing.cells, len(verify.notebook_code(nb)), error, len(solution_blocks(nb)),
                     timing.startup, timing.shutdown)
        results.append(res)
        out_dir = build / "notebooks"
        (out_dir / config.SOURCE_LANG).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out_dir / config.SOURCE_LANG / f"{stem}.ipynb")
        for lang in config.LANGS:
            if lang == config.SOURCE_LANG:
                continue
            other = nbformat.read(config.generated("notebooks", lang, stem, root), as_version=4)
            (out_dir / lang).mkdir(parents=True, exist_ok=True)
            nbformat.write(graft_outputs(nb, other), out_dir / lang / f"{stem}.ipynb")
        status = "ok" if res.ok else (res.error or f"over the {config.CHAPTER_TIME_LIMIT:.0f} s limit")
        log(f"  executed {stem}: {res.code_cells} code cells + {res.solution_blocks} solution blocks "
            f"in {res.seconds:.1f} s ({status}; kernel start {res.startup:.1f} s, shutdown {res.shutdown:.1f} s)")
    times = {r.stem: {"seconds": round(r.seconds, 2), "code_cells": r.code_cells,
                      "solution_blocks": r.solution_blocks, "error": r.error,
                      "kernel_startup_seconds": round(r.startup, 2),
                      "kernel_shutdown_seconds": round(r.shutdown, 2),
                      "limit": config.CHAPTER_TIME_LIMIT} for r in results}
    build.mkdir(parents=True, exist_ok=True)
    (build / "execution-times.json").write_text(json.dumps(times, indent=2) + "\n", encoding="utf-8")
    return results
