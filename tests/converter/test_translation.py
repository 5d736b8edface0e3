"""gettext catalogs: extract the gettext way, apply with placeholder protection."""
from __future__ import annotations

import shutil

import polib
import pytest

from myst_helpers import FIXTURES, convert
from myst2qmd.cli import main
from myst2qmd.i18n import is_translatable
from myst2qmd.placeholders import compare, scan

SOURCE = """# Titel

Erster Absatz mit $x^2$ und {numref}`fig-a`.

Zweiter Absatz.

:::{figure-md} fig-a
<img src="images/a.png" alt="Ein Bild">

Die Beschriftung.
:::
"""


def _extract(src, po_dir):
    return main(["extract", str(src), "--po-dir", str(po_dir), "--quiet"])


def _entries(po_path):
    return {e.msgid: e for e in polib.pofile(str(po_path))}


def test_extract_collects_headings_paragraphs_captions_alt_and_slide_titles(legacy, in_tmp):
    assert _extract(legacy, in_tmp / "po") == 0
    po = polib.pofile(str(in_tmp / "po" / "legacy-lecture.po"))
    ids = [e.msgid for e in po]
    assert "Pooling-Schichten" in ids  # heading (title)
    assert "ein Raster aus Zahlen" in ids  # alt text
    assert "Ein $2\\times2$ Fenster wandert mit Schritt $2$ über ein $4\\times4$ Raster." in ids  # caption
    assert "Ein Raster wird kleiner" in ids and "Mittelwert" in ids  # slide titles (SLIDE block, LaTeX frame)
    assert "Frage" not in ids  # built-in callout title: from the table, not the catalog
    assert all(not e.msgid.startswith("import ") for e in po)  # code is not translated
    occurrences = {e.msgid: e.occurrences for e in po}
    assert occurrences["Ausgabegröße"] == [("legacy-lecture.md", "84")]


def test_extract_twice_leaves_the_catalog_unchanged(legacy, in_tmp):
    _extract(legacy, in_tmp / "po")
    first = (in_tmp / "po" / "legacy-lecture.po").read_bytes()
    _extract(legacy, in_tmp / "po")
    assert (in_tmp / "po" / "legacy-lecture.po").read_bytes() == first


def test_changed_segment_becomes_fuzzy_with_previous_msgid_and_vanished_one_obsolete(in_tmp):
    src = in_tmp / "03-x.md"
    src.write_text(SOURCE, encoding="utf-8")
    _extract(src, in_tmp / "po")
    po_path = in_tmp / "po" / "03-x.po"
    po = polib.pofile(str(po_path))
    for e in po:
        e.msgstr = "EN " + e.msgid
    po.save()
    src.write_text(SOURCE.replace("Erster Absatz", "Der erste Absatz").replace("Zweiter Absatz.\n", "")
                   + "\nGanz neu: ein Satz über Strides.\n", encoding="utf-8")
    _extract(src, in_tmp / "po")
    entries = _entries(po_path)
    changed = entries["Der erste Absatz mit $x^2$ und @fig-a."]
    assert changed.fuzzy
    assert changed.previous_msgid == "Erster Absatz mit $x^2$ und @fig-a."
    assert changed.msgstr == "EN Erster Absatz mit $x^2$ und @fig-a."  # kept as a suggestion
    new = entries["Ganz neu: ein Satz über Strides."]
    assert new.msgstr == "" and not new.fuzzy
    vanished = entries["Zweiter Absatz."]
    assert vanished.obsolete and vanished.msgstr == "EN Zweiter Absatz."


def test_translation_is_applied_and_fuzzy_entries_are_not(in_tmp):
    src = in_tmp / "03-x.md"
    src.write_text(SOURCE, encoding="utf-8")
    _extract(src, in_tmp / "po")
    po_path = in_tmp / "po" / "03-x.po"
    po = polib.pofile(str(po_path))
    tr = {"Titel": "Title", "Erster Absatz mit $x^2$ und @fig-a.": "First paragraph with $x^2$ and @fig-a.",
          "Zweiter Absatz.": "Second paragraph.", "Die Beschriftung.": "The caption.", "Ein Bild": "A picture"}
    for e in po:
        e.msgstr = tr[e.msgid]
        if e.msgid == "Zweiter Absatz.":
            e.flags.append("fuzzy")
    po.save()
    (job,) = convert([src], lang="en", catalogs={src: po_path}, targets=["book"])
    book = job.outputs.book
    assert "title: Title" in book
    assert "First paragraph with $x^2$ and @fig-a." in book
    assert 'fig-alt="A picture"' in book and "The caption." in book
    assert "Zweiter Absatz." in book  # fuzzy → German kept
    assert job.report.fuzzy == [(5, "Zweiter Absatz.")]


def test_translation_that_alters_a_placeholder_is_rejected_with_segment_and_line(in_tmp):
    src = in_tmp / "03-x.md"
    src.write_text(SOURCE, encoding="utf-8")
    _extract(src, in_tmp / "po")
    po_path = in_tmp / "po" / "03-x.po"
    po = polib.pofile(str(po_path))
    for e in po:
        if e.msgid.startswith("Erster"):
            e.msgstr = "First paragraph with $x^3$ and @fig-a."  # math altered
    po.save()
    (job,) = convert([src], lang="en", catalogs={src: po_path}, targets=["book"])
    assert "Erster Absatz mit $x^2$" in job.outputs.book
    (line, msg), = [e for e in job.report.errors if "rejected" in e[1]]
    assert line == 3
    assert "missing '$x^2$'" in msg and "unexpected '$x^3$'" in msg and "Erster Absatz" in msg


def test_incomplete_catalog_falls_back_to_german_and_strict_fails(in_tmp, capsys):
    src = in_tmp / "03-x.md"
    src.write_text(SOURCE, encoding="utf-8")
    _extract(src, in_tmp / "po")
    args = ["convert", str(src), "--out-dir", str(in_tmp / "out"), "--lang", "en",
            "--po-dir", str(in_tmp / "po")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "5 untranslated" in out and "untranslated line 3: Erster Absatz" in out
    assert "Zweiter Absatz." in (in_tmp / "out" / "03-x.qmd").read_text(encoding="utf-8")
    assert main(args + ["--strict"]) == 1


@pytest.mark.parametrize("text, kinds", [
    ("see `x = 1` and $a_b$", ["code", "math"]),
    ("[@a; @b] and @fig-x.", ["ref", "ref", "ref"]),
    ("![]({{< meta params.images_path >}}a.png)", ["shortcode"]),
    ("[link](https://example.org/a) and https://example.org/b.", ["target", "url"]),
    ("mail me: a@b.de", []),
])
def test_placeholders_are_found_by_kind(text, kinds):
    assert [k for k, *_ in scan(text)] == kinds


def test_placeholder_order_may_change_but_not_the_set():
    assert compare("A $x$ then @fig-a.", "@fig-a shows $x$.") == []
    assert compare("A $x$ then @fig-a.", "A $x$.") == ["missing '@fig-a'"]


def test_segments_without_words_are_not_translatable():
    assert not is_translatable("$x^2$")
    assert not is_translatable("@fig-a")
    assert is_translatable("Siehe @fig-a")


def test_unreadable_catalog_is_a_clean_error(in_tmp, capsys):
    src = in_tmp / "03-x.md"
    src.write_text(SOURCE, encoding="utf-8")
    (in_tmp / "broken.po").write_text('msgid "a"\nmsgid "b"\n', encoding="utf-8")
    code = main(["convert", str(src), "--out-dir", "out", "--lang", "en", "--po", "broken.po"])
    assert code == 1
    assert "catalog broken.po cannot be read" in capsys.readouterr().out
