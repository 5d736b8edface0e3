"""The glossary: every term a chapter introduces is in myst/glossary.yml, and the appendix is generated from it."""
from __future__ import annotations

import shutil

import pytest

from bookbuild import glossary


def test_every_glossed_term_is_in_the_term_list_and_the_appendix_is_up_to_date(root):
    rep = glossary.check_glossary(root)
    assert not rep.problems, "\n".join(rep.problems)
    assert rep.counts["glossary terms"] >= 40


@pytest.mark.parametrize("german, english, expected", [
    ("die Kreuzentropie (cross-entropy) und", "the cross-entropy and", ["cross-entropy"]),
    ("**Vorwärts** (forward pass): `model(x)`", "**Forward pass**: `model(x)`", ["forward pass"]),
    ("Die Feature-Maps (feature maps) zeigen", "The feature maps show", ["feature maps"]),
    ("der Kern (orange) und", "the kernel (orange) and", []),
    ("der Verlust L jedes Schritts t (hell)", "the loss L of every step t (light)", []),
    ("ohne Padding (links) und mit", "without padding (left) and with", []),
    ("Stride 2 (k-1) und $f(i - 1)$", "stride 2 (k-1) and $f(i - 1)$", []),
    ("Anzahl (N, C, H, W) der", "number (N, C, H, W) of", []),
])
def test_glosses_are_parentheses_whose_text_the_english_also_uses(german, english, expected):
    assert glossary.glosses(german, english) == expected


def test_plural_and_alternative_names_count_as_known(root):
    terms = glossary.load_terms(root)
    assert glossary.known("feature maps", terms) and glossary.known("Feature Map", terms)
    assert glossary.known("SGD", terms) and glossary.known("filter", terms)
    assert not glossary.known("capsule network", terms)


def _copy_book(root, tmp_path):
    (tmp_path / "myst").mkdir()
    shutil.copy(root / glossary.TERMS_FILE, tmp_path / glossary.TERMS_FILE)
    shutil.copytree(root / "myst" / "de", tmp_path / "myst" / "de")
    shutil.copytree(root / "i18n", tmp_path / "i18n")
    return tmp_path


def test_a_term_missing_from_the_list_is_reported_with_its_source_line(root, tmp_path):
    book = _copy_book(root, tmp_path)
    po = book / "i18n" / "en" / "99-new.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  '#: myst/de/99-new.md:7\nmsgid "Eine Kapselschicht (capsule layer) fasst zusammen."\n'
                  'msgstr "A capsule layer groups them."\n', encoding="utf-8")
    problems = glossary.check_glossary(book).problems
    assert len(problems) == 1 and "myst/de/99-new.md:7" in problems[0] and "(capsule layer)" in problems[0]


def test_an_appendix_that_differs_from_the_term_list_is_reported(root, tmp_path):
    book = _copy_book(root, tmp_path)
    terms_file = book / glossary.TERMS_FILE
    terms_file.write_text(terms_file.read_text(encoding="utf-8").replace(
        "Ein Durchgang durch alle Trainingsdaten", "Ein voller Durchgang durch alle Trainingsdaten"), encoding="utf-8")
    problems = glossary.check_glossary(book).problems
    assert any("91-glossary.md differs" in p for p in problems), problems


def test_each_term_appears_once_in_each_language_of_the_appendix(root):
    terms = glossary.load_terms(root)
    source = glossary.source_text(terms)
    english = glossary.english_paragraphs(terms)
    for term in terms.terms:
        assert source.count(f"**{term.de}**") == 1
        assert sum(value.startswith(f"**{term.en}**") for value in english.values()) == 1


def test_a_malformed_term_list_names_the_entry(root, tmp_path):
    book = _copy_book(root, tmp_path)
    terms_file = book / glossary.TERMS_FILE
    text = terms_file.read_text(encoding="utf-8")
    terms_file.write_text(text.replace("- topic: basics\n    de: Faltung\n", "- topic: nowhere\n    de: Faltung\n", 1),
                          encoding="utf-8")
    with pytest.raises(ValueError, match=r"'Faltung'.*topic='nowhere'"):
        glossary.load_terms(book)
    terms_file.write_text(text.replace("    en: kernel\n", "    en: convolution\n", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"'convolution' is already used by 'Faltung'"):
        glossary.load_terms(book)
