"""A new version changes only the pages whose content changes: older version pages and
their redlines stay byte for byte, so that links and caches downstream stay valid."""

from tests.sites import both as both_languages
from tests.sites import build, commit_policies, snapshot


def both(number, effective):
    return both_languages(
        number, effective, **{"Kami mengumpulkan": f"Kami ({number}) mengumpulkan"}
    )


def test_a_new_version_leaves_older_version_pages_as_they_were(repo, tmp_path):
    commit_policies(repo, both("1.1", "2026-02-01"), date="2026-01-20T10:00:00+07:00")
    commit_policies(repo, both("1.2", "2026-03-01"), date="2026-02-20T10:00:00+07:00")
    output = tmp_path / "out"
    before = snapshot(build(repo / "content", output, today="2026-04-05"))
    commit_policies(repo, both("1.3", "2026-04-01"), date="2026-03-20T10:00:00+07:00")
    after = snapshot(build(repo / "content", output, today="2026-04-05"))
    changed = {name for name in before if before[name] != after.get(name)}
    added = set(after) - set(before)
    compare = {name for name in changed if "/bandingkan/" in name or "/compare/" in name}
    assert compare == {
        f"{archive}/{number}/{word}/index.html"
        for archive, word in (
            ("kebijakan-contoh/versi", "bandingkan"),
            ("en/example-policy/versions", "compare"),
        )
        for number in ("1.0", "1.1")
    }, "what changed since each older version, up to the new one"
    histories = {name for name in changed if "/riwayat/" in name or "/history/" in name}
    assert histories == {"kebijakan-contoh/riwayat/data-collection/index.html"}, (
        "the history of the one section the new version changed"
    )
    assert changed - compare - histories == {
        "index.html",
        "en/index.html",
        "kebijakan-contoh/index.html",
        "en/example-policy/index.html",
        "kebijakan-contoh/versi/index.html",
        "en/example-policy/versions/index.html",
        "kebijakan-contoh/versi/atom.xml",
        "en/example-policy/versions/atom.xml",
        "kebijakan-contoh/versi/1.2/index.html",  # no longer in effect
        "en/example-policy/versions/1.2/index.html",
        "versions.json",
    }
    assert added == {
        f"{archive}/{path}/index.html"
        for archive, words in (
            ("kebijakan-contoh/versi", ("perubahan", "bandingkan")),
            ("en/example-policy/versions", ("changes", "compare")),
        )
        for path in ("1.3", f"1.3/{words[0]}", f"1.2/{words[1]}")
    }
    for unchanged in (
        "kebijakan-contoh/versi/1.0/index.html",
        "kebijakan-contoh/versi/1.1/perubahan/index.html",
    ):
        assert before[unchanged] == after[unchanged]
