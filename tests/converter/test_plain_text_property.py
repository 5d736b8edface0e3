"""Same text in both parsers: what markdown-it reads as plain text in the source, Pandoc
reads as the same plain text in the converted chapter (issue 11, item 1).

For every paragraph, heading, list item and table cell, the plain text markdown-it sees in
the MyST source (text, code, math as ``$…$``; emphasis and link markup removed) must equal
the plain text Pandoc (pypandoc-binary) sees in the book output. Blocks holding roles,
images, raw HTML or footnotes are left out (they are converted on purpose). Pandoc reads
with ``-smart`` so typographic quotes/dashes (a rendering choice, not markup) do not count.
Checked on the fixtures and on hypothesis-generated Markdown full of markup characters.
"""
from __future__ import annotations

import json
import os
import re

import pypandoc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myst_helpers import FIXTURES, convert
from myst2qmd.parser import make_parser

MD = make_parser()
SKIP_INLINE = {"myst_role", "image", "html_inline", "footnote_ref"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _md_inline(token) -> str | None:
    out = []
    for child in token.children or []:
        t = child.type
        if t in SKIP_INLINE:
            return None
        if t in ("text", "code_inline"):
            out.append(child.content)
        elif t == "text_special":
            out.append(child.content)
        elif t in ("softbreak", "hardbreak"):
            out.append(" ")
        elif t in ("math_inline", "math_inline_double"):
            out.append(f"${child.content}$")
    return _squash("".join(out))


def markdown_it_texts(source: str) -> list[str]:
    """Plain texts of paragraphs, headings (but the title) and table cells, in order."""
    texts, title_seen, skip_depth = [], False, 0
    for tok in MD.parse(source):
        if tok.type in ("fence", "colon_fence", "html_block", "footnote_block_open"):
            continue
        if tok.type == "heading_open" and tok.tag == "h1" and not title_seen:
            title_seen, skip_depth = True, 1
            continue
        if tok.type == "inline":
            if skip_depth:
                skip_depth = 0
                continue
            text = _md_inline(tok)
            if text:
                texts.append(text)
    return texts


def _pd_inline(items) -> str | None:
    out = []
    for it in items:
        t, c = it["t"], it.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t == "Code":
            out.append(c[1])
        elif t == "Math":
            out.append(f"${c[1]}$")
        elif t in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline"):
            inner = _pd_inline(c)
            if inner is None:
                return None
            out.append(inner)
        elif t in ("Span", "Link"):
            inner = _pd_inline(c[1])
            if inner is None:
                return None
            out.append(inner)
        elif t in ("Cite", "Note", "RawInline", "Image"):
            return None
        else:
            raise AssertionError(f"unexpected Pandoc inline {t}")
    return "".join(out)


def pandoc_texts(qmd: str) -> list[str]:
    doc = json.loads(pypandoc.convert_text(qmd, "json", format="markdown-smart"))
    texts: list[str] = []

    def walk(node):
        if isinstance(node, dict) and "t" in node:
            if node["t"] in ("Para", "Plain"):
                text = _pd_inline(node["c"])
                if text is not None:
                    texts.append(_squash(text))
                return
            if node["t"] == "Header":
                text = _pd_inline(node["c"][2])
                if text is not None:
                    texts.append(_squash(text))
                return
            if node["t"] in ("CodeBlock", "RawBlock"):
                return
            walk(node.get("c"))
        elif isinstance(node, list):
            for x in node:
                walk(x)

    walk(doc["blocks"])
    return texts


def missing_in_order(wanted: list[str], got: list[str]) -> list[str]:
    """The texts of ``wanted`` not found, in order, in ``got``."""
    missing, i = [], 0
    for text in wanted:
        j = next((k for k in range(i, len(got)) if got[k] == text), None)
        if j is None:
            missing.append(f"{text!r} (Pandoc has {got[i:i + 3]!r} here)")
        else:
            i = j + 1
    return missing


def _check(source: str, tmp_path) -> list[str]:
    src = tmp_path / "p.md"
    src.write_text(source, encoding="utf-8")
    (job,) = convert([src], targets=("book",))
    assert job.report.errors == [], job.report.errors
    return missing_in_order(markdown_it_texts(source), pandoc_texts(job.outputs.book))


def test_fixtures_read_the_same_in_both_parsers(in_tmp):
    checked = 0
    for name in ("01-constructs.md", "02-other.md", "03-exercises.md", "legacy-lecture.md"):
        source = (FIXTURES / name).read_text(encoding="utf-8")
        jobs = convert([FIXTURES / "01-constructs.md", FIXTURES / "02-other.md", FIXTURES / name],
                       targets=("book",))
        job = next(j for j in jobs if j.path.name == name)
        wanted = markdown_it_texts(source)
        checked += len(wanted)
        assert missing_in_order(wanted, pandoc_texts(job.outputs.book)) == [], name
    assert checked >= 15  # paragraphs without roles, images or raw HTML


def test_the_issue_example_keeps_its_asterisks(in_tmp):
    example = "INPUT -> [[CONV -> RELU]*N -> POOL?]*M -> [FC -> RELU]*K -> FC"
    assert _check(f"# T\n\n{example}\n", in_tmp) == []
    assert pandoc_texts(f"{example}\n") != [example]  # unescaped, Pandoc reads italics


CHARS = "abcXYZ019 *_[]()<>@$~^{}`\\!?.,:;-=#|&'\"/+%"
TEXT = st.text(alphabet=CHARS, min_size=1, max_size=24).map(lambda s: s.replace("\n", " "))
BLOCK = st.one_of(
    TEXT.map(lambda t: f"Text {t}"),
    TEXT.map(lambda t: f"## Kopf {t}"),
    TEXT.map(lambda t: f"- Punkt {t}"),
    TEXT.map(lambda t: f"| Kopf |\n| --- |\n| Zelle {t.replace('|', '')} |"),
)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blocks=st.lists(BLOCK, min_size=1, max_size=6))
def test_generated_markdown_reads_the_same_in_both_parsers(in_tmp, blocks):
    source = "# Titel\n\n" + "\n\n".join(blocks) + "\n"
    assert _check(source, in_tmp) == []
