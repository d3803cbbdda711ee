"""Ordinary slips of a legal editor never make a wrong record: refused in the change under
review with the file, the line and what to do, or, in history, shown as they happened."""

import json

from tests.sites import (
    POLICY_EN,
    POLICY_ID,
    as_project,
    both,
    build,
    commit_policies,
    epoch,
    new_version,
    read_page,
    refused,
    run_invoke,
    write_policies,
)


def index_of(output, lang="id"):
    return json.loads((output / "versions.json").read_text())["policies"]["example"]["languages"][
        lang
    ]


def test_a_backdated_version_under_review_is_refused_with_the_date_to_use(repo, tmp_path):
    output = build(repo / "content", tmp_path / "out", today="2026-02-10")
    write_policies(repo / "content", both("1.1", "2026-02-01"))
    problems = refused(repo / "content", output, today="2026-02-10")
    assert problems == [
        f"{repo}/content/policies/example/id.md:6: Effective: version 1.1 would take effect "
        "on 2026-02-01, before it is published (on 2026-02-10 at the earliest); a version "
        "never takes effect before it is published, so set Effective: 2026-02-10 or later"
    ]


def test_a_version_published_after_its_effective_date_says_so(repo, tmp_path):
    commit_policies(repo, both("1.1", "2026-02-01"), date="2026-02-03T10:00:00+07:00")
    commit_policies(repo, both("1.2", "2026-03-01"), date="2026-02-20T10:00:00+07:00")
    output = build(repo / "content", tmp_path / "out", today="2026-03-05")
    entry = next(v for v in index_of(output)["versions"] if v["version"] == "1.1")
    assert (entry["published"], entry["published_after_effective"]) == ("2026-02-03", True)
    late = read_page(output, "kebijakan-contoh/versi/1.1/").select_one(".notice-late")
    assert "1 Februari 2026" in late.get_text() and "3 Februari 2026" in late.get_text()
    archive = read_page(output, "kebijakan-contoh/versi/").get_text()
    assert "baru diterbitkan di situs ini pada 3 Februari 2026" in archive


def test_a_policy_in_force_before_the_site_had_it_keeps_its_date_and_says_so(repo, tmp_path):
    """An organisation adopting the site, or adding a policy already in force: its first
    version keeps its real effective date, and its page says when it was first published."""
    renamed = {"Policy: example": "Policy: terms", "Slug: kebijakan-contoh": "Slug: syarat"}
    text = POLICY_ID
    for old, new in renamed.items():
        text = text.replace(old, new)
    english = POLICY_EN.replace("Policy: example", "Policy: terms").replace(
        "Slug: example-policy", "Slug: terms"
    )
    files = {"terms/id.md": text, "terms/en.md": english}
    commit_policies(repo, files, date="2026-02-10T10:00:00+07:00")
    output = build(repo / "content", tmp_path / "out", today="2026-02-10")
    late = read_page(output, "syarat/versi/1.0/").select_one(".notice-late")
    assert "15 Januari 2026" in late.get_text() and "10 Februari 2026" in late.get_text()


def test_a_translation_changed_without_its_version_is_refused_not_a_correction(repo, tmp_path):
    output = build(repo / "content", tmp_path / "out", today="2026-02-01")
    files = both("1.1", "2026-02-01")
    files["example/en.md"] = POLICY_EN.replace("We collect", "We gather")
    write_policies(repo / "content", files)
    problems = refused(repo / "content", output, today="2026-02-01")
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{repo}/content/policies/example/en.md:5: Version: this change raises "
    )
    assert "raise Version here to 1.1 too" in problems[0]
    assert "make the correction of version 1.0 a change of its own" in problems[0]


def test_a_new_version_may_not_repeat_an_earlier_summary(repo, tmp_path):
    output = build(repo / "content", tmp_path / "out", today="2026-02-01")
    files = both("1.1", "2026-02-01")
    files["example/id.md"] = new_version(POLICY_ID, "1.1", "2026-02-01", "Versi pertama.")
    write_policies(repo / "content", files)
    problems = refused(repo / "content", output, today="2026-02-01")
    assert problems == [
        f"{repo}/content/policies/example/id.md:7: Summary: version 1.1 repeats the summary "
        "of version 1.0 (\u201cVersi pertama.\u201d); write what this version changes"
    ]


def test_a_version_replaced_on_its_own_effective_day_was_never_in_force(repo, tmp_path):
    commit_policies(repo, both("1.1", "2026-02-01"), date="2026-01-20T10:00:00+07:00")
    commit_policies(repo, both("1.2", "2026-02-01"), date="2026-01-21T10:00:00+07:00")
    output = build(repo / "content", tmp_path / "out", today="2026-02-05")
    entries = {v["version"]: v for v in index_of(output, "en")["versions"]}
    assert (entries["1.1"]["never_in_force"], entries["1.1"]["in_force_until"]) == (True, None)
    assert entries["1.1"]["replaced_by"] == "1.2"
    assert entries["1.0"]["in_force_until"] == "2026-01-31"
    for version in entries.values():
        until = version["in_force_until"]
        assert until is None or until >= version["effective"]
    notice = read_page(output, "en/example-policy/versions/1.1/").select_one(".notice-archived")
    assert "It never took effect: version 1.2 replaced it" in notice.get_text()
    archive = read_page(output, "en/example-policy/versions/").get_text()
    assert "Never in force: version 1.2 took effect on the same day" in archive


def test_a_redline_of_a_corrected_text_says_so_and_the_correction_describes_itself(repo, tmp_path):
    commit_policies(repo, both("1.1", "2026-02-01"), date="2026-01-20T10:00:00+07:00")
    corrected = new_version(POLICY_EN, "1.1", "2026-02-01", "Summary 1.1.")
    corrected = corrected.replace("We collect", "We gather")
    commit_policies(repo, {"example/en.md": corrected}, date="2026-02-03T10:00:00+07:00")
    output = build(repo / "content", tmp_path / "out", today="2026-02-05")
    changes = read_page(output, "en/example-policy/versions/1.1/changes/")
    notice = changes.select_one(".notice-revised")
    assert "includes its correction of 3 February 2026" in notice.get_text()
    assert notice.a["href"] == "/en/example-policy/versions/1.1/revisions/2/"
    revision = read_page(output, "en/example-policy/versions/1.1/revisions/2/")
    description = revision.select_one("meta[name=description]")["content"]
    assert "3 February 2026" in description and "Summary 1.1." not in description


def _invoke_build(repo, language):
    """``invoke build`` in ``repo`` as an editor runs it, in the locale ``language``."""
    return run_invoke(repo, "build", LANGUAGE=language, SOURCE_DATE_EPOCH=epoch("2026-02-01"))


def test_an_untranslated_ui_string_is_a_warning_that_does_not_stop_invoke_build(repo):
    po = as_project(repo) / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    entry = 'msgid "Contents"\nmsgstr "Contents"'
    assert entry in text
    po.write_text(text.replace(entry, 'msgid "Contents"\nmsgstr ""'), encoding="utf-8")
    result = _invoke_build(repo, "en")
    assert result.returncode == 0, result.stderr
    said = " ".join((result.stdout + result.stderr).split())
    assert "'Contents' is not translated; pages in en show it in English" in said


def test_an_indonesian_editor_reads_the_problem_in_indonesian_with_file_and_line(repo):
    """``LANGUAGE=id invoke build`` on a bad date: the task's own message and the problem,
    in Indonesian, at the file and line."""
    write_policies(as_project(repo) / "content", both("1.1", "2026-02-30"))
    result = _invoke_build(repo, "id")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "Build berhenti. 2 masalah dalam isi kebijakan:" in result.stderr
    assert (
        "content/policies/example/id.md:6: Effective: '2026-02-30' bukan tanggal yang "
        "ditulis sebagai YYYY-MM-DD"
    ) in result.stderr
