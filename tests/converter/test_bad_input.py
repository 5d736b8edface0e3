"""Malformed input: a message with file:line naming the construct, exit 1, and nothing written.

Every case runs the real command line (``myst2qmd convert`` to all three targets) on a
small source in an output folder that already holds files; the folder must be byte for
byte unchanged afterwards — no partial outputs, no GIF stills, no macros include.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from myst_helpers import FIXTURES
from myst2qmd.cli import main

FIG = ':::{{figure-md}} {label}\n<img src="images/{name}.png" alt="Bild">\n\nBeschriftung.\n:::\n'

# (case id, source text, extra CLI args, expected "file:line: message" fragment)
CASES = [
    ("unclosed-code-cell", "# T\n\n```{code-cell} ipython3\nx = 1\n\n## Danach\n\nText.\n", [],
     "bad.md:3: ```{code-cell} is never closed: it would swallow the rest of the text"),
    ("unclosed-colon-note", "# T\n\n:::{note}\nText.\n\n## Danach\n", [],
     "bad.md:3: :::{note} is never closed: it would swallow the rest of the text"),
    ("unclosed-nested-fence", "# T\n\n````{only} html\nText.\n\n```{note}\nInnen.\n````\n", [],
     "bad.md:6: ```{note} is never closed: it would swallow the rest of the text"),
    ("code-cell-yaml", "# T\n\n```{code-cell} ipython3\n---\ntags: [a\n---\nx = 1\n```\n", [],
     "bad.md:3: directive {code-cell}: option block is not valid YAML"),
    ("code-cell-yaml-list", "# T\n\n```{code-cell} ipython3\n---\n- a\n---\nx = 1\n```\n", [],
     "bad.md:3: directive {code-cell}: option block must be a mapping"),
    ("front-matter-yaml", "---\nkernelspec: [unclosed\n---\n# T\n", [],
     "bad.md:1: front matter is not valid YAML"),
    ("img-without-src", '# T\n\n<img alt="Bild" width="200px">\n', [],
     'bad.md:3: image without a source (an <img> needs src="…")'),
    ("inline-img-without-src", '# T\n\nText <img alt="x"> mehr.\n', [],
     'bad.md:3: image without a source (an <img> needs src="…")'),
    ("figure-without-label", '# T\n\n:::{figure-md}\n<img src="images/a.png">\n\nB.\n:::\n', [],
     "bad.md:3: {figure-md} without a label: Quarto numbers and references only labelled figures"),
    ("figure-without-image", "# T\n\n:::{figure-md} fig-x\nNur eine Beschriftung.\n:::\n", [],
     "bad.md:3: figure fig-x has no image"),
    ("figure-directive-without-path", "# T\n\n```{figure}\n:name: fig-y\n\nB.\n```\n", [],
     "bad.md:3: figure fig-y has no image"),
    ("empty-cite", "# T\n\nWie in {cite}`` gezeigt.\n", [],
     "bad.md:3: empty {cite} role: name at least one citation key"),
    ("malformed-cite-key", "# T\n\nWie in {cite}`a b` gezeigt.\n", [],
     "bad.md:3: {cite} key 'a b' is not a citation key"),
    ("unknown-cite-key", "# T\n\nWie in {cite:p}`nobody2020` gezeigt.\n", ["--bibliography", "BIB"],
     "bad.md:3: {cite:p} key 'nobody2020' is not in the bibliography"),
    ("unknown-ref", "# T\n\nSiehe {ref}`sec-nirgends`.\n", [],
     "bad.md:3: {ref} target 'sec-nirgends' is not defined in the converted sources"),
    ("unknown-numref", "# T\n\nSiehe {numref}`fig-nirgends`.\n", [],
     "bad.md:3: {numref} target 'fig-nirgends' is not defined in the converted sources"),
    ("unknown-eq", "# T\n\nSiehe {eq}`eq-nirgends`.\n", [],
     "bad.md:3: {eq} target 'eq-nirgends' is not defined in the converted sources"),
    ("figure-labels-collide", "# T\n\n" + FIG.format(label="fig-a_b", name="a") + "\n"
     + FIG.format(label="fig-a-b", name="b"), [],
     "bad.md:9: label 'fig-a-b' becomes #fig-a-b, like label 'fig-a_b' at line 3: rename one of them"),
    ("equation-labels-collide", "# T\n\n$$\nx\n$$ (eq_a)\n\n```{math}\n:label: eq:a\ny\n```\n", [],
     "bad.md:7: label 'eq:a' becomes #eq-a, like label 'eq_a' at line 3: rename one of them"),
    ("section-labels-collide", "# T\n\n(teil_a)=\n## Eins\n\n(teil-a)=\n## Zwei\n", [],
     "bad.md:6: label 'teil-a' becomes #sec-teil-a, like label 'teil_a' at line 3: rename one of them"),
    ("unclosed-comment", "# T\n\nText.\n\n<!-- offen\n\n## Weg\n", [],
     "bad.md:5: HTML comment <!-- is never closed: everything after it would be dropped"),
    ("unclosed-latex-export", "# T\n\n<!-- ### BEGIN LATEX EXPORT\n\\begin{frame}{A}\nx\n\\end{frame}\n\n## H\n", [],
     "bad.md:3: HTML comment <!-- is never closed: everything after it would be dropped"),
    ("iframe-without-src", '# T\n\n<iframe width="560" title="Video"></iframe>\n', [],
     "bad.md:3: <iframe> without src: nothing to show or link to"),
    ("solution-start-unclosed", "# T\n\n:::{exercise}\n:label: ex-a\nA.\n:::\n\n:::{solution-start} ex-a\n:::\n\nL.\n",
     [], "bad.md:8: {solution-start} ex-a is not closed by {solution-end}"),
    ("solution-end-alone", "# T\n\nText.\n\n:::{solution-end}\n:::\n", [],
     "bad.md:5: {solution-end} without a {solution-start} before it"),
    ("solution-unknown-exercise", "# T\n\n:::{solution} ex-missing\nL.\n:::\n", [],
     "bad.md:3: {solution} ex-missing: no exercise with this label in the converted sources"),
    ("solution-without-exercise", "# T\n\n:::{solution}\nL.\n:::\n", [],
     "bad.md:3: {solution} names no exercise (write {solution} ex-label)"),
    ("exercise-labels-collide", "# T\n\n:::{exercise}\n:label: ex-a\nA.\n:::\n\n:::{exercise}\n:label: ex_a\nB.\n:::\n",
     [], "bad.md:8: label 'ex_a' becomes #exr-a, like label 'ex-a' at line 3: rename one of them"),
    ("not-utf8", b"# T\n\nGr\xf6\xdfe.\n", [], "bad.md: cannot read bad.md: 'utf-8' codec can't decode"),
    ("translation-drops-placeholder", "# T\n\nDie Formel $x^2$ gilt.\n", ["--lang", "en", "--po", "PO"],
     "bad.md:3: translation rejected (missing '$x^2$') for segment 'Die Formel $x^2$ gilt.'; German kept"),
]

PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Die Formel $x^2$ gilt."
msgstr "The formula holds."
'''
BIB = "@misc{somebody2019,\n  author = {A. Somebody},\n  title = {T},\n  year = {2019}\n}\n"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case, source, extra, message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named_exits_1_and_writes_nothing(in_tmp, capsys, case, source, extra, message):
    src = in_tmp / "bad.md"
    src.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8"))
    (in_tmp / "refs.bib").write_text(BIB, encoding="utf-8")
    (in_tmp / "bad.po").write_text(PO, encoding="utf-8")
    extra = [{"BIB": "refs.bib", "PO": "bad.po"}.get(a, a) for a in extra]
    out = in_tmp / "out"
    (out / "notebooks").mkdir(parents=True)
    (out / "bad.qmd").write_text("an older chapter\n", encoding="utf-8")
    (out / "notebooks" / "keep.ipynb").write_text("{}\n", encoding="utf-8")
    before = _tree(out)
    code = main(["convert", "bad.md", "--out-dir", "out", "--targets", "book,slides,notebook",
                 "--macros", str(FIXTURES / "macros.tex"), *extra])
    printed = capsys.readouterr()
    assert code == 1, printed.out + printed.err
    assert message in printed.out, printed.out
    assert "nothing written: this file has errors" in printed.out
    assert _tree(out) == before


def test_there_are_at_least_25_cases():
    assert len(CASES) >= 25


def test_one_bad_file_keeps_the_good_one_from_being_written(in_tmp, capsys):
    (in_tmp / "good.md").write_text("# Gut\n\nText.\n", encoding="utf-8")
    (in_tmp / "bad.md").write_text("# T\n\nSiehe {ref}`sec-x`.\n", encoding="utf-8")
    assert main(["convert", "good.md", "bad.md", "--out-dir", "out"]) == 1
    assert not (in_tmp / "out").exists()
    assert "nothing written: another file of this run has errors" in capsys.readouterr().out


def test_bom_and_crlf_are_accepted_silently(in_tmp, capsys):
    (in_tmp / "win.md").write_bytes("\ufeff# Titel\r\n\r\nText mit {cite}`a`.\r\n".encode("utf-8"))
    assert main(["convert", "win.md", "--out-dir", "out"]) == 0
    book = (in_tmp / "out" / "win.qmd").read_text(encoding="utf-8")
    assert "title: Titel" in book and "\ufeff" not in book and "\r" not in book
    assert "warnings: 0" in capsys.readouterr().out


def test_a_malformed_bibliography_is_a_usage_error(in_tmp, capsys):
    (in_tmp / "a.md").write_text("# T\n", encoding="utf-8")
    (in_tmp / "refs.bib").write_text("@misc{a,\n title = {x}\n}\n@misc{a,\n title = {y}\n}\n", encoding="utf-8")
    assert main(["convert", "a.md", "--out-dir", "out", "--bibliography", "refs.bib"]) == 2
    assert "refs.bib:4: citation key 'a' is defined twice" in capsys.readouterr().err
    assert not (in_tmp / "out").exists()
