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


def test_history_holds_each_committed_state_newest_first(repo):
    revisions = git_history.file_history(str(repo), str(repo / "docs"))
    assert [(r.path, r.raw) for r in revisions] == [
        ("docs/a.md", b"two\n"),
        ("docs/a.md", b"one\n"),
    ]
    assert revisions[0].commit == git(repo, "rev-parse", "HEAD").strip()
    assert revisions[1].committed.isoformat() == "2026-01-01T00:00:00+00:00"


def test_a_missing_blob_reads_as_none(repo):
    head = git(repo, "rev-parse", "HEAD").strip()
    blobs = git_history.read_blobs(str(repo), [f"{head}:docs/a.md", f"{head}:docs/gone.md"])
    assert blobs == {f"{head}:docs/a.md": b"two\n", f"{head}:docs/gone.md": None}


def test_uncommitted_lists_changed_new_and_renamed_files(repo):
    assert git_history.uncommitted(str(repo), "docs") == []
    git(repo, "mv", "docs/a.md", "docs/c.md")
    (repo / "docs" / "new.md").write_text("new\n")
    assert git_history.uncommitted(str(repo), "docs") == ["docs/c.md", "docs/new.md"]


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
