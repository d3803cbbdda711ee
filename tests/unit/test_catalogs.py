"""The UI catalogs: complete in every language and in step with the templates.

Two sets: the site's (``translations/``) and the fixture sites' (``tests/catalogs/``).
When a test here fails after a template change, run ``invoke update``, translate the new
entries in each ``<lang>/LC_MESSAGES/messages.po``, and commit.
"""

import re
import subprocess

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

import tasks
from tests.sites import FIXTURE_CATALOGS, ROOT, project_settings

TRANSLATIONS = ROOT / "translations"
CATALOGS = sorted(
    path
    for folder in (TRANSLATIONS, FIXTURE_CATALOGS)
    for path in folder.glob("*/LC_MESSAGES/messages.po")
)
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def read_catalog(path, locale=None):
    with open(path, "rb") as source:
        return read_po(source, locale=locale)


def message_ids(catalog):
    return {message.id for message in catalog if message.id}


def test_the_default_language_and_the_fixtures_languages_have_catalogs():
    languages = {path.parents[1].name for path in TRANSLATIONS.glob("*/LC_MESSAGES/*.po")}
    assert project_settings()["DEFAULT_LANG"] in languages
    fixtures = {path.parents[1].name for path in FIXTURE_CATALOGS.glob("*/LC_MESSAGES/*.po")}
    assert fixtures == {"id", "en"}


def test_template_catalog_is_in_step_with_the_templates(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", *tasks.EXTRACT, "-o", str(fresh), "."])
    extracted = message_ids(read_catalog(fresh))
    assert "Contents" in extracted
    assert message_ids(read_catalog(TRANSLATIONS / "messages.pot")) == extracted, (
        "translations/messages.pot is stale: run 'invoke update' and translate the new strings"
    )


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_ui_string_is_translated(path):
    template_ids = message_ids(read_catalog(TRANSLATIONS / "messages.pot"))
    catalog = read_catalog(path, locale=path.parents[1].name)
    translated = {
        message.id: message.string
        for message in catalog
        if message.id
        and (all(message.string) if isinstance(message.id, tuple) else message.string)
        and "fuzzy" not in message.flags
    }
    missing = sorted(template_ids - set(translated))
    assert not missing, f"{path.relative_to(ROOT)} has no translation for {missing}"
    for msgid, msgstr in translated.items():
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        expected = sorted(set(PLACEHOLDER.findall(" ".join(ids))))
        for string in strings:
            assert sorted(set(PLACEHOLDER.findall(string))) == expected, (
                f"{path.relative_to(ROOT)}: '{string}' must keep the placeholders of '{msgid}'"
            )


def test_compiled_catalogs_are_not_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "translations"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "translations/id/LC_MESSAGES/messages.po" in tracked
    assert not [name for name in tracked if name.endswith(".mo")]


@pytest.mark.parametrize("autoescape", [True, False])
def test_a_templates_translations_escape_their_values_whatever_they_are_named(autoescape):
    """``_()`` in a template, as Jinja's own: each value escaped into the translation,
    ``%%`` a percent sign, a value named like the function's own arguments."""
    import jinja2

    from policy_site.i18n import Localizer

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    Localizer(FIXTURE_CATALOGS, "id").install(env)
    template = env.from_string(
        "{{ _('%(message)s and %(context)s', message=a, context='<b>') }} {{ _('50%%') }}"
        " {{ _('Contents') }}"
    )
    shown = template.render(a="<i>", lang="en")
    assert shown == "&lt;i&gt; and &lt;b&gt; 50% Contents"
