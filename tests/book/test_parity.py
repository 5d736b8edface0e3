"""English and German agree on everything but the words."""
from __future__ import annotations

import json

from bookbuild import config, verify


def test_en_and_de_have_the_same_labels_figures_sections_and_code_cells(root):
    rep = verify.check_parity(root)
    assert rep.counts["figures"] > 0 and rep.counts["chapter code cells"] > 0
    assert not rep.problems, rep.problems


def test_code_key_ignores_translated_captions_and_comments_but_not_code():
    de = '#| label: fig-a\n#| fig-cap: "Ein Bild."\n# Kommentar\nplot(x)\n'
    en = '#| label: fig-a\n#| fig-cap: "A picture."\n# comment\nplot(x)\n'
    assert verify.code_key(de) == verify.code_key(en)
    assert verify.code_key(de) != verify.code_key(en.replace("plot(x)", "plot(y)"))
    assert verify.code_key(de) != verify.code_key(en.replace("fig-a", "fig-b"))


def test_a_changed_code_cell_breaks_parity(tmp_path, root):
    import shutil
    for name in ("_quarto.yml", "_quarto-en.yml", "_quarto-de.yml"):
        shutil.copy(root / name, tmp_path / name)
    (tmp_path / "myst" / "de").mkdir(parents=True)
    shutil.copy(root / "myst" / "de" / "03-padding.md", tmp_path / "myst" / "de")
    for kind in ("chapters", "notebooks"):
        for lang in config.LANGS:
            src = config.generated(kind, lang, "03-padding", root)
            dst = config.generated(kind, lang, "03-padding", tmp_path)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
    assert verify.check_parity(tmp_path).problems == []
    en = config.generated("chapters", "en", "03-padding", tmp_path)
    en.write_text(en.read_text(encoding="utf-8").replace("padding=1)", "padding=2)", 1), encoding="utf-8")
    nb = config.generated("notebooks", "en", "03-padding", tmp_path)
    data = json.loads(nb.read_text(encoding="utf-8"))
    data["cells"] = data["cells"][:-1]
    nb.write_text(json.dumps(data), encoding="utf-8")
    problems = verify.check_parity(tmp_path).problems
    assert any("03-padding: code cells differ" in p for p in problems)
    assert any("notebooks/03-padding" in p for p in problems)


def test_both_languages_use_the_same_figure_labels_in_the_same_order(root, stems):
    for stem in stems:
        de, en = (verify.read(config.generated("chapters", l, stem, root)) for l in ("de", "en"))
        assert [l for l in verify.labels(de) if l.startswith("fig-")] == \
               [l for l in verify.labels(en) if l.startswith("fig-")]
