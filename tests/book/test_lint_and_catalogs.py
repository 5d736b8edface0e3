"""panache lint is clean on every .qmd; the English catalogs are complete."""
from __future__ import annotations

import polib
import pytest

from bookbuild import config, convert, verify


def test_panache_lint_is_clean_on_every_qmd(root):
    files = verify.qmd_files(root)
    assert len(files) >= 5
    rep = verify.check_lint(files, root)
    assert rep.counts["linted files"] == len(files)
    assert not rep.problems, "\n".join(rep.problems)


def test_panache_lint_reports_a_broken_document(tmp_path):
    bad = tmp_path / "bad.qmd"
    bad.write_text("# Title\n\n::: {.callout-note}\nunclosed div\n\n#### Skipped levels\n", encoding="utf-8")
    rep = verify.check_lint([bad], tmp_path)
    assert rep.problems, "panache found nothing wrong with a document that skips heading levels"


def test_every_english_catalog_is_complete_and_not_fuzzy(root):
    missing = convert.untranslated(root)
    assert set(missing) == {p.stem for p in config.sources(root)}
    assert {stem: lists for stem, lists in missing.items() if lists[0] or lists[1]} == {}


@pytest.mark.parametrize("stem", [p.stem for p in config.sources(config.ROOT)])
def test_translations_keep_math_references_and_code(root, stem):
    path = root / "i18n" / "en" / f"{stem}.po"
    assert path.exists(), f"{path.relative_to(root)} is missing: run `make translate` and translate it"
    po = polib.pofile(str(path))
    for entry in po.translated_entries():
        for marker in ("$", "@", "`"):
            assert entry.msgid.count(marker) == entry.msgstr.count(marker), (marker, entry.msgid[:60])


def test_catalogs_are_exactly_what_make_translate_writes(root, tmp_path):
    """`make translate` on committed, complete catalogs changes nothing (no rewrapping, no reorder)."""
    import shutil
    for name in ("myst", "i18n"):
        shutil.copytree(root / name, tmp_path / name)
    assert convert.extract_catalogs(tmp_path) == 0
    for src in config.sources(root):
        rel = f"i18n/en/{src.stem}.po"
        assert (tmp_path / rel).read_bytes() == (root / rel).read_bytes(), \
            f"{rel} differs from what `make translate` writes: run it and commit the result"
