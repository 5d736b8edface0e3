"""Cross-references, citations, images and the chapter lists of the two profiles."""
from __future__ import annotations

import pytest

from bookbuild import config, verify


@pytest.mark.parametrize("lang", config.LANGS)
def test_every_cross_reference_resolves_in_its_language(root, lang):
    rep = verify.check_references(lang, root)
    assert rep.counts.get("references", 0) > 0
    assert not rep.problems, rep.problems


def test_every_citation_is_in_the_bibliography_and_every_entry_is_cited(root):
    rep = verify.check_citations(root)
    assert rep.counts["citations"] > 0 and rep.counts["bib entries"] > 0
    assert not rep.problems, rep.problems


def test_every_referenced_image_exists(root):
    rep = verify.check_images(root)
    assert not rep.problems, rep.problems


def test_profiles_list_every_source_once_in_the_same_order(root):
    rep = verify.check_profiles(root)
    assert not rep.problems, rep.problems


def test_profiles_set_language_and_separate_output_dirs(root):
    for lang in config.LANGS:
        cfg = config.quarto_config(f"_quarto-{lang}.yml", root)
        assert cfg["lang"] == lang
        assert cfg["project"]["output-dir"] == f"_book/{lang}"
        assert all(e == "index.qmd" or e.startswith(f"chapters/{lang}/") for e in config.profile_chapters(lang, root))


# The checks themselves must catch what they are for -------------------------------------------
DOC = """---
title: t
---

## Intro {#sec-intro}

See @sec-intro, @fig-missing and [@known; @unknown]. Mail a@b.de.

```{python}
#| label: fig-plot
#| fig-cap: "A plot."
@decorator
def f(): pass
```

![alt]({{< meta params.images_path >}}pic.png)
"""


def test_labels_references_and_citations_are_read_from_prose_not_code():
    assert verify.labels(DOC) == ["sec-intro", "fig-plot"]
    assert verify.references(DOC) == ["sec-intro", "fig-missing"]
    assert verify.citations(DOC) == ["known", "unknown"]
    assert verify.headings(DOC) == [(2, "sec-intro")]
    assert verify.images(DOC) == ["{{< meta params.images_path >}}pic.png"]


def _book(tmp_path, text, bib="@book{known,\n  title={K}\n}\n@book{unused,\n  title={U}\n}\n"):
    (tmp_path / "myst" / "de").mkdir(parents=True)
    (tmp_path / "myst" / "de" / "01-a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text("book:\n  repo-url: https://github.com/o/r\n", encoding="utf-8")
    for lang in config.LANGS:
        (tmp_path / f"_quarto-{lang}.yml").write_text(
            f"lang: {lang}\nbook:\n  chapters:\n    - chapters/{lang}/01-a.qmd\n", encoding="utf-8")
        (tmp_path / "chapters" / lang).mkdir(parents=True)
        (tmp_path / "chapters" / lang / "01-a.qmd").write_text(text, encoding="utf-8")
    (tmp_path / "references.bib").write_text(bib, encoding="utf-8")
    return tmp_path


def test_a_dangling_reference_is_reported(tmp_path):
    rep = verify.check_references("en", _book(tmp_path, DOC))
    assert rep.problems == ["chapters/en/01-a.qmd: @fig-missing does not resolve to any label in the en book"]


def test_exercises_are_cross_reference_targets_not_citations(tmp_path):
    doc = ('::: {#exr-a name="A"}\nDo it.\n:::\n::: {.callout-tip title="Solution to @exr-a"}\nDone.\n:::\n'
           "See @exr-a and @exr-missing [@known].\n")
    rep = verify.check_references("en", _book(tmp_path, doc))
    assert rep.problems == ["chapters/en/01-a.qmd: @exr-missing does not resolve to any label in the en book"]
    assert not any("exr-" in p for p in verify.check_citations(tmp_path).problems)


def test_unknown_and_uncited_bibliography_keys_are_reported(tmp_path):
    rep = verify.check_citations(_book(tmp_path, DOC))
    assert any("@unknown is not a key" in p for p in rep.problems)
    assert "references.bib: unused is never cited" in rep.problems
    assert not any("known is" in p and "unknown" not in p for p in rep.problems)


def test_a_missing_image_is_reported_with_its_resolved_path(tmp_path):
    root = _book(tmp_path, DOC.replace("title: t", "title: t\nparams:\n  images_path: ../../assets/images/"))
    rep = verify.check_images(root)
    assert len(rep.problems) == 2       # the de and the en chapter
    assert all("assets/images/pic.png does not exist" in p for p in rep.problems)
    (root / "assets" / "images").mkdir(parents=True)
    (root / "assets" / "images" / "pic.png").write_bytes(b"\x89PNG")
    assert verify.check_images(root).problems == []


def test_a_profile_entry_without_source_is_reported(tmp_path):
    root = _book(tmp_path, DOC)
    (root / "_quarto-de.yml").write_text("lang: de\nbook:\n  chapters:\n    - chapters/de/01-a.qmd\n"
                                         "    - chapters/de/02-b.qmd\n", encoding="utf-8")
    problems = verify.check_profiles(root).problems
    assert "_quarto-de.yml lists chapters/de/02-b.qmd, but myst/de/02-b.md does not exist" in problems


def test_each_profile_renders_only_its_own_language(root):
    for lang in config.LANGS:
        render = config.quarto_config(f"_quarto-{lang}.yml", root)["project"]["render"]
        assert render == ["index.qmd", f"chapters/{lang}/*.qmd"]


def test_no_page_loads_anything_from_the_network(root):
    rep = verify.check_offline(root)
    assert rep.counts["offline-checked files"] >= 5
    assert not rep.problems, rep.problems


def test_a_remote_script_is_reported(tmp_path):
    root = _book(tmp_path, DOC + '\n```{=html}\n<script src="https://cdn.example.org/x.js"></script>\n```\n')
    (root / "index.qmd").write_text("# i\n", encoding="utf-8")
    problems = verify.check_offline(root).problems
    assert len(problems) == 2 and all("<script src=…> loads from the network" in p for p in problems)
