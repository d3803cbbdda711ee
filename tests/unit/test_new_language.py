"""``invoke new-language CODE``: a new language's catalog, made from the template."""

import shutil

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from invoke import Context, Exit

import tasks
from tests.sites import ROOT


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder holding the project's template catalog, as the tasks find it."""
    shutil.copytree(ROOT / "translations", tmp_path / "translations")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANGUAGE", "en")
    return tmp_path


def test_a_new_language_gets_every_ui_string_to_translate(project, capsys):
    code = next(c for c in ("ms", "nl", "fr") if not (project / "translations" / c).exists())
    tasks.new_language(Context(), code)
    path = project / "translations" / code / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as po:
        catalog = read_po(po, locale=code)
    with open(project / "translations" / "messages.pot", "rb") as pot:
        template = read_po(pot)
    assert {m.id for m in catalog if m.id} == {m.id for m in template if m.id}
    strings = [s for m in catalog if m.id for s in (m.string if m.pluralizable else (m.string,))]
    assert strings and not any(strings)
    assert str(catalog.locale) == code and catalog.plural_forms.startswith("nplurals=")
    said = capsys.readouterr().out
    name = Locale.parse(code)
    made = (
        f"Made {path.relative_to(project)} for {name.get_display_name(code)} ({name.english_name})."
    )
    assert said.startswith(made)
    assert f"content/policies/POLICY/{code}.md" in said


def test_an_existing_catalog_is_left_as_it_is(project):
    path = project / "translations" / "id" / "LC_MESSAGES" / "messages.po"
    before = path.read_bytes()
    with pytest.raises(Exit, match="exists already; 'invoke update' brings it up to date"):
        tasks.new_language(Context(), "id")
    assert path.read_bytes() == before


def test_an_unknown_code_is_refused(project):
    with pytest.raises(Exit, match="'xx' is not a language code Babel knows"):
        tasks.new_language(Context(), "xx")
    assert not (project / "translations" / "xx").exists()
