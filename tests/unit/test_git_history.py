"""The git calls, on a throwaway repository: what they read and what they refuse."""

import pytest

from policy_site import git_history
from tests.sites import git, git_init


@pytest.fixture
def repo(tmp_path):
    repo = git_init(tmp_path / "repo")
    (repo / "docs").mkdir()
    (repo / "docs" / "a.md").write_text("one\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first", date="2026-01-01T00:00:00+00:00")
    (repo / "docs" / "a.md").write_text("two\n")
    (repo / "docs" / "b.txt").write_text("not a policy\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "second", date="2026-01-02T00:00:00+00:00")
    return repo


def blob(repo, spec):
    return git(repo, "rev-parse", spec).strip()


def test_main_line_lists_each_commit_with_its_changes_newest_first(repo):
    commits = git_history.main_line(str(repo), "docs")
    assert [c.sha for c in commits] == git(repo, "log", "--format=%H").split()
    assert commits[1].committed.isoformat() == "2026-01-01T00:00:00+00:00"
    changes = {change.path: change for change in commits[0].changes}
    assert changes["docs/a.md"].status == "M"
    assert changes["docs/a.md"].blob == blob(repo, "HEAD:docs/a.md")
    assert changes["docs/b.txt"].status == "A"


def test_renames_and_deletions_are_seen(repo):
    git(repo, "mv", "docs/a.md", "docs/c.md")
    git(repo, "rm", "-q", "docs/b.txt")
    git(repo, "commit", "-q", "-m", "third")
    changes = {c.status: c for c in git_history.main_line(str(repo), "docs")[0].changes}
    assert (changes["R"].old_path, changes["R"].path) == ("docs/a.md", "docs/c.md")
    assert (changes["D"].path, changes["D"].blob) == ("docs/b.txt", None)


def test_blobs_are_read_in_one_batch_and_a_missing_one_is_left_out(repo):
    first, second = blob(repo, "HEAD~1:docs/a.md"), blob(repo, "HEAD:docs/a.md")
    contents = git_history.read_blobs(str(repo), [second, first, "0" * 40])
    assert contents == {first: b"one\n", second: b"two\n"}


def test_uncommitted_maps_each_changed_file_to_its_path_in_head(repo):
    assert git_history.uncommitted(str(repo), "docs") == {}
    git(repo, "mv", "docs/a.md", "docs/c.md")
    (repo / "docs" / "new.md").write_text("new\n")
    (repo / "docs" / "b.txt").write_text("changed\n")
    assert git_history.uncommitted(str(repo), "docs") == {
        "docs/c.md": "docs/a.md",
        "docs/new.md": None,
        "docs/b.txt": "docs/b.txt",
    }


def test_the_change_under_review_is_the_main_line_above_its_base(repo):
    base = blob(repo, "HEAD~1")
    assert git_history.main_line_since(str(repo), base) == (blob(repo, "HEAD"),)
    assert git_history.merge_base(str(repo), "HEAD~1") == base
    assert git_history.merge_base(str(repo), "origin/main") is None
    with pytest.raises(git_history.GitError, match="'origin/main' is not a commit"):
        git_history.main_line_since(str(repo), "origin/main")


def test_repository_facts(repo, tmp_path):
    assert git_history.toplevel(str(repo / "docs")) == str(repo.resolve())
    assert git_history.toplevel(str(tmp_path)) is None
    assert git_history.has_commits(str(repo))
    assert not git_history.is_shallow(str(repo))
    assert not git_history.has_commits(str(git_init(tmp_path / "empty")))


def test_a_failing_git_call_carries_gits_message(repo):
    message = "git log failed in .*: fatal: bad revision .no-such-branch."
    with pytest.raises(git_history.GitError, match=message):
        git_history._git(str(repo), "log", "no-such-branch", "--")
