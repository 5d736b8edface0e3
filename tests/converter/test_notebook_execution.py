"""Produced notebooks validate with nbformat and their code cells run in a python3 kernel."""
from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from bookbuild.execute import kernel_transport

from myst_helpers import FIXTURES, convert


def _execute(nb, cwd):
    with kernel_transport() as transport:  # no TCP port races with other kernels
        client = NotebookClient(nb, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(cwd)}}, config=transport)
        client.execute()
    return nb


@pytest.mark.slow
def test_legacy_and_constructs_notebooks_execute(legacy, in_tmp):
    (in_tmp / "images").mkdir()  # the legacy lecture saves a figure there
    jobs = convert([legacy, FIXTURES / "01-constructs.md", FIXTURES / "02-other.md"],
                   repo_url="https://github.com/owner/cfs")
    for job in jobs:
        nb = nbformat.reads(job.outputs.notebook, 4)
        nbformat.validate(nb)
        _execute(nb, in_tmp)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), job.path.name
    assert (in_tmp / "images" / "pool-demo.png").is_file()
    nb = nbformat.reads(jobs[1].outputs.notebook, 4)
    _execute(nb, in_tmp)
    raising = [c for c in nb.cells if "raises-exception" in c.metadata.get("tags", [])]
    assert raising and raising[0].outputs[0]["ename"] == "ValueError"
    only = [c for c in nb.cells if c.metadata.get("tags") == ["notebook-only"]]
    assert only[0].outputs[0]["text"] == "only in the notebook\n"
