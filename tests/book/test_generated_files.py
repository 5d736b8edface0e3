"""The committed chapters/, slides/, notebooks/ and include files are what the sources produce."""
from __future__ import annotations

import re
from pathlib import Path

from bookbuild import assets, config, convert, verify


def _tree(base: Path) -> dict[str, bytes]:
    files = {}
    for kind in config.TARGET_DIRS:
        for path in sorted((base / kind).glob("*/*")):
            if path.is_file():
                files[str(path.relative_to(base))] = path.read_bytes()
    macros = base / "_macros.qmd"
    if macros.exists():
        files["_macros.qmd"] = macros.read_bytes()
    return files


def test_generated_chapters_slides_and_notebooks_are_up_to_date(root, regenerated):
    fresh, committed = _tree(regenerated), _tree(root)
    missing = sorted(set(fresh) - set(committed))
    extra = sorted(set(committed) - set(fresh))
    stale = sorted(k for k in set(fresh) & set(committed) if fresh[k] != committed[k])
    assert not missing, f"not generated yet (run `make convert`): {missing}"
    assert not extra, f"generated files without a source (delete them or run `make convert`): {extra}"
    assert not stale, f"out of date (run `make convert` and commit): {stale}"


def test_every_source_yields_a_chapter_and_notebook_in_both_languages(root, stems):
    for stem in stems:
        for lang in config.LANGS:
            assert config.generated("chapters", lang, stem, root).exists()
            assert config.generated("notebooks", lang, stem, root).exists()


def test_generated_files_say_they_are_generated(root, stems):
    for stem in stems:
        for lang in config.LANGS:
            text = config.generated("chapters", lang, stem, root).read_text(encoding="utf-8")
            assert f"myst/de/{stem}.md" in text.split("\n---\n", 1)[1][:300]


def test_include_files_and_directory_metadata_are_up_to_date(root):
    rep = verify.check_generated_includes(root)
    assert rep.counts["generated includes"] >= 3
    assert not rep.problems, rep.problems


def test_explorer_include_inlines_the_shipped_explorers(root):
    text = (root / "_explorers.html").read_text(encoding="utf-8")
    js = (root / "assets/explorers/explorers.js").read_text(encoding="utf-8")
    assert js.strip() in text and "<style>" in text
    assert not re.search(r"""(src|href)=["']https?://""", text), "the explorers must not load anything remote"


def test_stale_output_detection_finds_an_orphaned_chapter(tmp_path):
    (tmp_path / "myst" / "de").mkdir(parents=True)
    (tmp_path / "myst" / "de" / "01-a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "chapters" / "de").mkdir(parents=True)
    (tmp_path / "chapters" / "de" / "01-a.qmd").write_text("", encoding="utf-8")
    (tmp_path / "chapters" / "de" / "02-gone.qmd").write_text("", encoding="utf-8")
    assert [p.name for p in convert.stale_outputs(tmp_path)] == ["02-gone.qmd"]


def test_no_output_is_stale(root):
    assert convert.stale_outputs(root) == []


def test_inline_script_refuses_a_closing_script_tag():
    import pytest
    with pytest.raises(ValueError, match="</script"):
        assets._inline_script("var s = '</script>';", "x.js")
