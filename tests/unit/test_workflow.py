"""The CI workflow: full history, a content check first, deploy only from main after the
tests, of exactly what was tested; least privilege, timeouts, pinned actions."""

import re
import shutil
import subprocess

import pytest
import yaml

from tests.sites import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
INVOKE = re.compile(r"\.venv/bin/invoke (\w+)")


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job):
    return job["steps"]


def runs(job):
    return [step["run"] for step in steps(job) if "run" in step]


def test_every_checkout_fetches_the_whole_history(workflow):
    checkouts = [
        step
        for job in workflow["jobs"].values()
        for step in steps(job)
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    running = [job for job in workflow["jobs"].values() if runs(job)]
    assert len(checkouts) == len(running)
    assert all(step["with"]["fetch-depth"] == 0 for step in checkouts)


def test_the_content_check_comes_first_and_the_tests_after_it(workflow):
    jobs = workflow["jobs"]
    assert "needs" not in jobs["check"]
    assert INVOKE.findall(" ".join(runs(jobs["check"]))) == ["check"]
    assert jobs["test"]["needs"] == "check"
    tests = " ".join(runs(jobs["test"]))
    assert tests.index("--layers unit,build,content") < tests.index("--layers browser")


def test_the_preview_is_kept_whenever_it_was_built(workflow):
    test = steps(workflow["jobs"]["test"])
    build = next(i for i, step in enumerate(test) if step.get("id") == "preview")
    assert "invoke build --preview" in test[build]["run"]
    upload = next(
        step for step in test if step.get("uses", "").startswith("actions/upload-artifact")
    )
    assert upload["if"] == "always() && steps.preview.outcome == 'success'"
    assert upload["with"]["path"] == "output"
    assert test.index(upload) == build + 1, "kept before any test can fail"


def test_deploy_runs_only_from_main_after_the_tests_and_deploys_what_was_tested(workflow):
    jobs = workflow["jobs"]
    publish = jobs["publish"]
    assert set(publish["needs"]) == {"check", "test"}
    assert "refs/heads/main" in publish["if"] and "!= 'pull_request'" in publish["if"]
    order = [step.get("run") or step["uses"].split("@")[0] for step in steps(publish)]
    built = order.index(".venv/bin/invoke publish")
    tested = order.index(".venv/bin/invoke test --layers browser --built output")
    upload = order.index("actions/upload-pages-artifact")
    assert built < tested < upload
    assert steps(publish)[upload]["with"]["path"] == "output"
    assert jobs["deploy"]["needs"] == "publish"
    assert [step["uses"].split("@")[0] for step in steps(jobs["deploy"])] == [
        "actions/deploy-pages"
    ], "the job with the publishing token runs nothing else"
    assert set(jobs["verify"]["needs"]) == {"publish", "deploy"}
    assert any("invoke verify" in run for run in runs(jobs["verify"])), "the live site is checked"


def test_every_job_builds_for_the_same_date(workflow):
    jobs = workflow["jobs"]
    assert jobs["test"]["env"]["SOURCE_DATE_EPOCH"] == "${{ needs.check.outputs.epoch }}"
    assert jobs["publish"]["env"]["SOURCE_DATE_EPOCH"] == "${{ needs.check.outputs.epoch }}"


def test_deploys_queue_and_superseded_pull_request_runs_stop(workflow):
    concurrency = workflow["concurrency"]
    assert "github.ref" in concurrency["group"]
    assert "github.event.pull_request.number" in concurrency["group"], "forks' branches clash"
    assert "head_ref" not in concurrency["group"]
    assert concurrency["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_messages_reach_editors_in_the_sites_default_language(workflow):
    settings = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    default = re.search(r'^DEFAULT_LANG = "([a-z-]+)"', settings, re.MULTILINE)[1]
    assert workflow["env"]["LANGUAGE"] == default


def test_least_privilege_and_a_timeout_for_every_job(workflow):
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 30, name
        if name != "deploy":
            assert job["permissions"]["contents"] == "read", name
            assert "write" not in job["permissions"].values(), name
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_every_action_is_pinned_to_a_commit_with_its_version_named():
    uses = [line.strip() for line in WORKFLOW.read_text().splitlines() if "uses:" in line]
    assert uses
    for line in uses:
        assert re.fullmatch(r"(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*", line), line


def test_pip_downloads_are_cached(workflow):
    for job in workflow["jobs"].values():
        if runs(job):
            setup = next(
                s for s in steps(job) if s.get("uses", "").startswith("actions/setup-python")
            )
            assert setup["with"]["cache"] == "pip"


def test_the_workflow_calls_the_tasks_the_readme_documents(workflow):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    called = {
        name for job in workflow["jobs"].values() for name in INVOKE.findall(" ".join(runs(job)))
    }
    assert called == {"check", "build", "test", "publish", "verify"}
    for name in called:
        assert f"`{name}`" in readme or f"invoke {name}" in readme, name


def test_actionlint_finds_nothing():
    if shutil.which("actionlint") is None:
        pytest.skip("actionlint is not installed here (its PyPI package downloads a binary)")
    result = subprocess.run(["actionlint", str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
