"""Hypothesis fuzzing: random MyST snippets never crash the converter.

Every failure must be a clean report entry (a line and a message), never a traceback and
never an "internal error". Generated pieces are the constructs the converter handles,
combined and truncated at random (unclosed fences and comments included).
"""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myst2qmd.convert import Options
from myst2qmd.document import convert_sources
from myst2qmd.i18n import Translator, update_catalog
from myst2qmd.labels import Registry
from myst2qmd.convert import FileConverter
from myst2qmd.report import Report

WORDS = st.sampled_from(["Faltung", "Kern", "Bild", "$x$", "`code`", "**fett**", "_k_", "[a](b.md)",
                         "{numref}`fig-a`", "{ref}`sec:x`", "{eq}`eq:y`", "{cite}`k1,k2`", "{foo}`bar`",
                         "<!-- c -->", "<br>", "@", "$", "`", "{", "}", ":", "\\", "Figure", "Abb."])
LINE = st.lists(WORDS, min_size=0, max_size=8).map(" ".join)
PIECES = st.one_of(
    LINE,
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 6), LINE),
    st.builds(lambda lab: f"({lab})=", st.sampled_from(["sec:x", "fig-a", "x_y", "eq:y"])),
    st.builds(lambda t: f":::{{figure-md}} fig-a\n<img src=\"images/a.png\" width=\"10px\">\n\n{t}\n:::", LINE),
    st.builds(lambda k, t: f"```{{{k}}}\n{t}\n```", st.sampled_from(
        ["note", "Note", "tip", "warning", "admonition Frage", "admonition Titel\n:class: dropdown",
         "math\n:label: eq:y", "code-cell ipython3\n---\ntags: [hide-input]\n---", "only html", "raw html",
         "glossary", "code-cell ipython3\n---\ntags: [\n---", "figure images/x.gif\n:name: fig-g"]), LINE),
    st.builds(lambda t: f"<!-- {t}", LINE),
    st.just("<!-- ### BEGIN SLIDE -->\n<!-- Title: Folie -->"),
    st.just("<!-- ### END SLIDE -->"),
    st.just("<!-- ### BEGIN LATEX EXPORT\n\\begin{frame}{F}\nText $a$\n\\end{frame}\n### END LATEX EXPORT -->"),
    st.just("$$\na = b\n$$ (eq:z)"),
    st.just("\\begin{align}\na &= b\n\\end{align}"),
    st.just("| a | b |\n| - | - |\n| $x$ | {cite}`k` |"),
    st.just("- eins\n- zwei\n  - drei"),
    st.just("---\nkernelspec:\n  name: python3\n---"),
    st.just("::: -->"),
    st.text(max_size=30),
)
DOCS = st.lists(PIECES, min_size=0, max_size=10).map("\n\n".join)


@settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=DOCS, lang=st.sampled_from(["de", "en"]))
def test_random_myst_never_crashes_and_failures_are_clean_reports(tmp_path, doc, lang):
    src = tmp_path / "fuzz.md"
    src.write_text(doc, encoding="utf-8")
    opt = Options(lang=lang, images_path="images/")
    (job,) = convert_sources([src], opt, ["book", "slides", "notebook"])
    for line, msg in job.report.errors + job.report.warnings:
        assert isinstance(line, int) and msg
        assert "internal error" not in msg, msg
    if not job.report.errors:
        assert job.outputs.book is not None and job.outputs.notebook is not None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=DOCS)
def test_random_myst_extracts_to_a_stable_catalog(tmp_path, doc):
    rep = Report("fuzz.md")
    tr = Translator(mode="collect", report=rep)
    FileConverter(Path("fuzz.md"), doc, Options(), Registry(), tr, rep).render("book")
    po = tmp_path / "fuzz.po"
    update_catalog(po, tr.collected, "fuzz.md")
    first = po.read_bytes()
    update_catalog(po, tr.collected, "fuzz.md")
    assert po.read_bytes() == first
