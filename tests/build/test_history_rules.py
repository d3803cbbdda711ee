"""The rules of the change cycle, on throwaway git histories: published text stays
published, translations may be corrected visibly, the change under review is judged
strictly and older history never blocks the site."""

import hashlib
import json
import logging

from tests.sites import (
    POLICY_EN,
    POLICY_ID,
    both,
    build,
    commit_policies,
    git,
    new_version,
    read_page,
    refused,
    write_policies,
)

# The fixture's version 1.0 is committed on 2026-01-01 and takes effect on 2026-01-15.
CHANGED_ID = POLICY_ID.replace("nama dan alamat", "nama, nomor telepon dan alamat")
CHANGED_EN = POLICY_EN.replace("name and e-mail", "name, telephone number and e-mail")


def index_of(output):
    return json.loads((output / "versions.json").read_text())["policies"]["example"]["languages"]


def built(repo, tmp_path, today, **options):
    return build(repo / "content", tmp_path / "out", today=today, **options)


def test_published_text_cannot_change_without_a_new_version(repo, tmp_path):
    output = built(repo, tmp_path, "2026-02-01")
    write_policies(repo / "content", {"example/id.md": CHANGED_ID})
    problems = refused(repo / "content", output, today="2026-02-01")
    assert len(problems) == 1
    assert (
        "example/id.md:5: version 1.0 took effect on 2026-01-15, so its text is frozen"
        in (problems[0])
    )
    assert "raise Version, and set Effective and Summary" in problems[0]
    commit_policies(repo, {"example/id.md": CHANGED_ID}, date="2026-02-01T10:00:00+07:00")
    committed = refused(repo / "content", output, today="2026-02-01")
    assert committed == problems, "the newest commit is judged as the work tree is"


def test_text_may_change_until_its_effective_date(repo, tmp_path):
    commit_policies(repo, {"example/id.md": CHANGED_ID}, date="2026-01-10T10:00:00+07:00")
    output = built(repo, tmp_path, "2026-02-01")
    version = index_of(output)["id"]["versions"][0]
    assert len(version["revisions"]) == 1
    assert "nomor telepon" in read_page(output, "kebijakan-contoh/versi/1.0/").get_text()


def test_a_corrected_translation_keeps_every_correction_visible(repo, tmp_path):
    commit = commit_policies(repo, {"example/en.md": CHANGED_EN}, date="2026-02-01T10:00:00+07:00")
    output = built(repo, tmp_path, "2026-02-05")
    version = index_of(output)["en"]["versions"][0]
    first, second = version["revisions"]
    blob = git(repo, "show", f"{commit}:content/policies/example/en.md").encode()
    assert (second["commit"], second["sha256"]) == (commit, hashlib.sha256(blob).hexdigest())
    assert second["changes_url"] == "/en/example-policy/versions/1.0/revisions/2/"
    assert first["sha256"] != second["sha256"] and first["changes_url"] is None
    page = read_page(output, "en/example-policy/versions/1.0/")
    notice = page.select_one(".notice-revised")
    assert "This translation was corrected on 1 February 2026." in notice.get_text()
    assert notice.a["href"] == second["changes_url"]
    redline = read_page(output, "en/example-policy/versions/1.0/revisions/2/")
    inserted = [mark.get_text() for mark in redline.select(".redline ins")]
    assert inserted == ["[inserted: name, telephone number end of insertion]"]


def test_one_version_has_one_effective_date_in_every_language(repo, tmp_path):
    output = built(repo, tmp_path, "2026-01-20")
    write_policies(
        repo / "content",
        {
            "example/id.md": new_version(POLICY_ID, "1.1", "2026-02-01"),
            "example/en.md": new_version(POLICY_EN, "1.1", "2026-02-02"),
        },
    )
    problems = refused(repo / "content", output, today="2026-01-20")
    assert len(problems) == 1
    assert "example/en.md:6: Effective: version 1.1 takes effect 2026-02-02 here but" in problems[0]
    assert "2026-02-01 in" in problems[0] and "example/id.md (line 6)" in problems[0]


def test_a_bad_commit_in_history_is_left_out_with_a_warning(repo, tmp_path, caplog):
    bad = new_version(POLICY_ID, "1.1", "2026-02-30")
    bad_commit = commit_policies(repo, {"example/id.md": bad}, date="2026-01-20T10:00:00+07:00")
    good = {
        "example/id.md": new_version(POLICY_ID, "1.1", "2026-02-01"),
        "example/en.md": new_version(POLICY_EN, "1.1", "2026-02-01"),
    }
    commit_policies(repo, good, date="2026-01-20T11:00:00+07:00")
    with caplog.at_level(logging.INFO, logger="policy_site"):
        output = built(repo, tmp_path, "2026-02-05")
    warning = next(r.getMessage() for r in caplog.records if r.levelname == "NOTICE")
    assert f"example/id.md:6 (commit {bad_commit[:7]}): Effective: '2026-02-30'" in warning
    assert "the site leaves this commit's text out" in warning
    assert [v["version"] for v in index_of(output)["id"]["versions"]] == ["1.1", "1.0"]


def test_the_same_bad_commit_above_the_review_base_stops_the_build(repo, tmp_path):
    base = git(repo, "rev-parse", "HEAD").strip()
    bad_commit = commit_policies(
        repo, {"example/id.md": new_version(POLICY_ID, "1.1", "2026-02-30")}
    )
    commit_policies(
        repo,
        {
            "example/id.md": new_version(POLICY_ID, "1.1", "2026-02-05"),
            "example/en.md": new_version(POLICY_EN, "1.1", "2026-02-05"),
        },
    )
    problems = refused(
        repo / "content", tmp_path / "out", today="2026-02-05", policy_site={"base": base}
    )
    assert problems == [
        f"{repo}/content/policies/example/id.md:6 (commit {bad_commit[:7]}): Effective: "
        "'2026-02-30' is not a date written as YYYY-MM-DD"
    ]


def test_a_version_that_went_down_in_history_is_left_out(repo, tmp_path, caplog):
    for day, (number, effective) in enumerate(
        [("1.2", "2026-02-01"), ("1.1", "2026-02-10"), ("1.3", "2026-03-01")], start=20
    ):
        files = {"example/id.md": new_version(POLICY_ID, number, effective)}
        if number == "1.3":
            files["example/en.md"] = new_version(POLICY_EN, "1.3", effective)
        commit_policies(repo, files, date=f"2026-01-{day}T10:00:00+07:00")
    with caplog.at_level(logging.INFO, logger="policy_site"):
        output = built(repo, tmp_path, "2026-03-05")
    assert [v["version"] for v in index_of(output)["id"]["versions"]] == ["1.3", "1.2", "1.0"]
    assert "Version goes down from 1.2" in caplog.text


def test_published_text_changed_in_history_is_shown_as_changed(repo, tmp_path, caplog):
    changed = commit_policies(repo, {"example/id.md": CHANGED_ID}, date="2026-02-01T10:00:00+07:00")
    commit_policies(
        repo,
        {
            "example/id.md": new_version(CHANGED_ID, "1.1", "2026-03-01"),
            "example/en.md": new_version(POLICY_EN, "1.1", "2026-03-01"),
        },
        date="2026-02-20T10:00:00+07:00",
    )
    with caplog.at_level(logging.INFO, logger="policy_site"):
        output = built(repo, tmp_path, "2026-03-05")
    assert f"(commit {changed[:7]}): version 1.0 took effect on 2026-01-15" in caplog.text
    version = index_of(output)["id"]["versions"][1]
    assert version["changed_after_effective"] is True
    assert [r["commit"] for r in version["revisions"]][1] == changed
    page = read_page(output, "kebijakan-contoh/versi/1.0/")
    notice = page.select_one(".notice-changed")
    assert "setelah mulai berlaku, tanpa nomor versi baru" in notice.get_text()
    redline = read_page(output, "kebijakan-contoh/versi/1.0/revisi/2/")
    assert [m.get_text() for m in redline.select(".redline ins")] == [
        "[ditambahkan: nama, nomor telepon akhir penambahan]"
    ]


def test_a_file_keeps_its_policy_key(repo, tmp_path):
    files = {
        "example/id.md": new_version(POLICY_ID, "1.1", "2026-02-01").replace(
            "Policy: example", "Policy: contoh"
        ),
        "example/en.md": new_version(POLICY_EN, "1.1", "2026-02-01").replace(
            "Policy: example", "Policy: contoh"
        ),
    }
    commit_policies(repo, files, date="2026-01-20T10:00:00+07:00")
    problems = refused(repo / "content", tmp_path / "out", today="2026-01-25")
    assert "example/id.md:2: Policy changes from 'example' to 'contoh'" in "\n".join(problems)


def test_a_new_slug_keeps_the_old_addresses(repo, tmp_path):
    files = {
        "example/id.md": new_version(POLICY_ID, "1.1", "2026-02-01").replace(
            "Slug: kebijakan-contoh", "Slug: kebijakan-baru"
        ),
        "example/en.md": new_version(POLICY_EN, "1.1", "2026-02-01"),
    }
    commit_policies(repo, files, date="2026-01-20T10:00:00+07:00")
    output = built(repo, tmp_path, "2026-02-05")
    for old, new in [
        ("kebijakan-contoh/", "/kebijakan-baru/"),
        ("kebijakan-contoh/versi/", "/kebijakan-baru/versi/"),
        ("kebijakan-contoh/versi/1.0/", "/kebijakan-baru/versi/1.0/"),
        ("kebijakan-contoh/versi/1.1/perubahan/", "/kebijakan-baru/versi/1.1/perubahan/"),
    ]:
        page = read_page(output, old)
        assert page.select_one('meta[http-equiv="refresh"]')["content"] == f"0; url={new}"
        assert page.a["href"] == new


def test_deleting_a_policy_is_refused_unless_it_is_retired(repo, tmp_path):
    other = {
        "other/id.md": POLICY_ID.replace("Policy: example", "Policy: other").replace(
            "Slug: kebijakan-contoh", "Slug: lain"
        ),
        "other/en.md": POLICY_EN.replace("Policy: example", "Policy: other").replace(
            "Slug: example-policy", "Slug: other"
        ),
    }
    commit_policies(repo, other)
    git(repo, "rm", "-q", "-r", "content/policies/other")
    problems = refused(repo / "content", tmp_path / "out", today="2026-01-25")
    assert len(problems) == 2
    assert (
        "other/id.md: deleting policy 'other' would take every address of its archive"
        in (problems[1])
    )
    git(repo, "commit", "-q", "-m", "Withdraw the other policy", date="2026-02-01T10:00:00+07:00")
    output = built(repo, tmp_path, "2026-02-05", policy_site={"retired": ["other"]})
    notice = read_page(output, "lain/").select_one(".notice-retired")
    assert "Kebijakan ini ditarik pada 1 Februari 2026" in notice.get_text()
    assert (output / "en/other/versions/1.0/index.html").is_file()


def test_a_deleted_file_never_lends_its_text_to_another(repo, tmp_path):
    copy = POLICY_EN.replace("Opening text of the policy.", "Text from another file.")
    commit_policies(repo, {"example/en-copy.md": copy}, date="2026-01-02T10:00:00+07:00")
    git(repo, "rm", "-q", "content/policies/example/en-copy.md")
    git(repo, "commit", "-q", "-m", "Remove the copy", date="2026-01-03T10:00:00+07:00")
    output = built(repo, tmp_path, "2026-02-05")
    page = read_page(output, "en/example-policy/").select_one(".policy-text").get_text()
    assert "Opening text of the policy." in page and "another file" not in page
    assert len(index_of(output)["en"]["versions"][0]["revisions"]) == 1


def test_a_text_too_large_in_history_is_left_out_with_a_warning(repo, tmp_path, caplog):
    """The size limit holds for every revision git holds, not only the work tree's."""
    large = new_version(POLICY_ID, "1.1", "2026-02-01") + ("\nKata tambahan. " * 40_000)
    big = commit_policies(repo, {"example/id.md": large}, date="2026-01-20T10:00:00+07:00")
    commit_policies(repo, both("1.2", "2026-03-01"), date="2026-02-20T10:00:00+07:00")
    with caplog.at_level(logging.INFO, logger="policy_site"):
        output = built(repo, tmp_path, "2026-03-05")
    assert f"(commit {big[:7]}): is larger than 500000 bytes" in caplog.text
    assert [v["version"] for v in index_of(output)["id"]["versions"]] == ["1.2", "1.0"]


def test_a_long_paragraph_edited_word_by_word_gets_its_redline(repo, tmp_path):
    """Every fourth word of a long paragraph changed: the redline marks each change
    (white space is no token of its own, so difflib's work stays near linear)."""
    words = [f"kata{number}" for number in range(1200)]
    edited = [f"baru{word}" if position % 4 == 0 else word for position, word in enumerate(words)]
    old = POLICY_ID.replace("Teks pembuka kebijakan.", " ".join(words))
    new = new_version(old, "1.1", "2026-02-01").replace(" ".join(words), " ".join(edited))
    commit_policies(repo, {"example/id.md": old}, date="2026-01-10T10:00:00+07:00")
    commit_policies(
        repo,
        {"example/id.md": new, "example/en.md": new_version(POLICY_EN, "1.1", "2026-02-01")},
        date="2026-01-20T10:00:00+07:00",
    )
    output = built(repo, tmp_path, "2026-02-05")
    redline = read_page(output, "kebijakan-contoh/versi/1.1/perubahan/").select_one(".redline")
    assert len(redline.select("p ins")) == 300
