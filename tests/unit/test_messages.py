"""The build's messages follow the standard locale environment, with English (the
messages as written) where no catalog answers."""

import pytest

from policy_site import messages
from tests.sites import ROOT


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANGUAGE": "id:en", "LANG": "en_US.UTF-8"}, ["id", "en"]),
        ({"LC_ALL": "id_ID.UTF-8"}, ["id_ID", "id"]),
        ({"LANG": "C.UTF-8"}, []),
        ({"LANGUAGE": "", "LC_MESSAGES": "en_GB"}, ["en_GB", "en"]),
        ({}, []),
    ],
)
def test_the_locale_environment_names_the_languages(environment, expected):
    assert messages.requested_languages(environment) == expected


def test_a_message_comes_in_the_editors_language_with_its_values(monkeypatch):
    messages.use(str(ROOT / "translations"))
    monkeypatch.setenv("LANGUAGE", "id")
    assert messages._("'%(value)s' is not a date written as YYYY-MM-DD", value="2026-02-30") == (
        "'2026-02-30' bukan tanggal yang ditulis sebagai YYYY-MM-DD"
    )
    monkeypatch.setenv("LANGUAGE", "fr:en")
    assert messages._("'%(value)s' is not a date written as YYYY-MM-DD", value="x") == (
        "'x' is not a date written as YYYY-MM-DD"
    )
    assert messages.n_("%(count)s problem to fix", "%(count)s problems to fix", 2) == (
        "2 problems to fix"
    )
