"""The blocking client against the simulator, on both layouts: what a user observes."""

from __future__ import annotations

import io
import subprocess
import time
from pathlib import Path

import pytest

import ksdevops
from ksdevops import Client, InvalidInput, NotFound, Pipeline, PipelineRun
from sim import PASSWORD, PROJECT, USER, Sim

FAILING_JENKINSFILE = """
pipeline {
  agent any
  stages {
    stage('Build') { steps { sh 'mvn package' } }
  }
}
"""

REPO_JENKINSFILE = """
pipeline {
  agent any
  parameters { string(name: 'TARGET', defaultValue: 'staging', description: 'where to') }
  stages {
    stage('Deploy') { steps { echo "deploying to ${params.TARGET}" } }
  }
}
"""


def run_names(client: Client, pipeline: str) -> set[str]:
    return {r.name for r in client.runs(pipeline) if r.name}


def test_the_layout_is_detected_and_lists_are_typed(client: Client, sim: Sim) -> None:
    assert client.layout() == sim.layout
    pipelines = list(client.pipelines())
    assert all(isinstance(p, Pipeline) for p in pipelines)
    names = {p.name for p in pipelines}
    assert {"params-demo", "go-demo-pipeline", "multi-branch-demo"} <= names
    demo = client.get_pipeline("params-demo")
    assert demo in pipelines and demo.is_synced and not demo.is_multi_branch
    assert demo.to_dict()["metadata"]["name"] == "params-demo"
    assert Pipeline.from_dict(demo.to_dict()) == demo


def test_parameterized_build_with_approval(client: Client, tmp_path: Path) -> None:
    parameters = client.parameters("params-demo")
    assert [p.name for p in parameters] == ["PERSON", "BIOGRAPHY", "TOGGLE", "CHOICE", "PASSWORD"]
    assert parameters[3].choices == ["One", "Two", "Three"]
    assert "<table>" in parameters._repr_html_()

    before = run_names(client, "params-demo")
    with pytest.raises(InvalidInput) as bad:
        client.trigger("params-demo", {"CHOICE": "Four"})
    assert bad.value.field == "parameters.CHOICE" and bad.value.kind == "invalid_input"
    assert "Four" in str(bad.value)
    assert run_names(client, "params-demo") == before, "a refused trigger starts nothing"

    run = client.trigger("params-demo", {"PERSON": "ada", "CHOICE": "Two"})
    assert isinstance(run, PipelineRun) and run.pipeline == "params-demo"
    assert run.parameters["PERSON"] == "ada" and run.parameters["TOGGLE"] == "true"

    paused = client.wait(run, until="paused", timeout=60)
    assert paused.name == run.name and paused.build_id
    assert paused.state == "waiting_for_input" and paused.jenkins_state == "PAUSED"
    inputs = client.pending_inputs(run)
    assert [i.id for i in inputs] == ["Deploy"]
    assert inputs[0].message == "Deploy to production?" and inputs[0].stage == "Approve"
    client.approve(run.name)

    chunks = list(client.follow_log(run))
    finished = client.wait(run, timeout=60)
    assert finished.phase == "Succeeded" and finished.result == "SUCCESS" and finished.succeeded
    assert finished.state == "succeeded" and "state='succeeded'" in repr(finished)
    assert "".join(chunks) == client.log(run), "the followed log is the whole log"
    assert "Hello, ada" in "".join(chunks) or "ada" in "".join(chunks)

    stages = client.nodes(run)
    assert [s.name for s in stages] == ["Greet", "Build", "Approve", "Deploy"]
    assert all(s.result == "SUCCESS" and s.steps for s in stages)
    assert {s.state for s in stages} == {"succeeded"} and {s.jenkins_state for s in stages} == {"FINISHED"}
    assert all(step.state == "succeeded" for s in stages for step in s.steps)
    assert "state='succeeded'" in repr(stages[0]) and "state='succeeded'" in repr(stages[0].steps[0])
    assert 'color:#2e7d32' in finished._repr_html_() and "Deploy" in finished._repr_html_()

    artifacts = client.artifacts(run)
    assert [a.path for a in artifacts] == ["dist/report.txt"]
    path, size = client.download(run, artifacts[0], tmp_path)
    assert path == str(tmp_path / "report.txt") and size == artifacts[0].size
    assert Path(path).stat().st_size == size
    sink = io.BytesIO()
    none, streamed = client.download(run, "dist/report.txt", sink)
    assert none is None and streamed == size and sink.getvalue() == Path(path).read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name != "report.txt"], "no partial file left"

    with pytest.raises(NotFound) as missing:
        client.download(run, "dist/nope.txt", tmp_path)
    assert missing.value.field == "artifact" and "dist/report.txt" in str(missing.value)


def test_abort_at_the_input_ends_the_run_aborted(client: Client) -> None:
    run = client.trigger("params-demo", {"PERSON": "bob"})
    client.wait(run, until="paused", timeout=60)
    client.abort(run, input="Deploy")
    ended = client.wait(run, timeout=60)
    assert ended.result == "ABORTED" and not ended.succeeded
    assert ended.phase == "Failed" and ended.state == "aborted", "the phase alone cannot tell"
    assert PipelineRun.from_dict(ended.to_dict()).state == "aborted"


def test_a_failed_run_is_explained(client: Client, sim: Sim) -> None:
    name = "fails-sync"
    created = client.create_pipeline(Pipeline.regular(name, FAILING_JENKINSFILE))
    assert created.name == name and created.is_synced
    run = client.trigger(name)
    ended = client.wait(run, timeout=60)
    assert ended.result == "FAILURE"
    diagnosis = client.diagnose(run)
    assert diagnosis.stage == "Build" and diagnosis.cause == "tool_not_found"
    assert diagnosis.cause_details == {"tool": "mvn"}
    assert "mvn: not found" in diagnosis.log_tail and diagnosis.hint
    assert "tool_not_found" in diagnosis._repr_html_() and "<pre>" in diagnosis._repr_html_()
    assert diagnosis.to_dict()["cause"]["kind"] == "tool_not_found"
    client.delete_pipeline(name)
    with pytest.raises(NotFound) as gone:
        client.get_pipeline(name)
    assert gone.value.status == 404


def test_update_and_wait_synced(client: Client) -> None:
    name = "updated-sync"
    client.create_pipeline(Pipeline.regular(name, FAILING_JENKINSFILE, description="v1"))
    current = client.get_pipeline(name)
    data = current.to_dict()
    data["spec"]["pipeline"]["description"] = "v2"
    updated = client.update_pipeline(Pipeline.from_dict(data), wait_synced=True, timeout=60)
    assert updated.description == "v2"
    assert client.wait_synced(name, timeout=30).is_synced
    client.delete_pipeline(name)


def git_repository(where: Path) -> str:
    """A git repository with a Jenkinsfile on `main`, as a file:// URL."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(where)]
    subprocess.run(["git", "init", "-q", "-b", "main", str(where)], check=True)
    (where / "Jenkinsfile").write_text(REPO_JENKINSFILE)
    subprocess.run(git + ["add", "Jenkinsfile"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "pipeline"], check=True)
    return where.resolve().as_uri()


def test_private_repository_multi_branch_flow(client: Client, tmp_path: Path) -> None:
    credential = client.create_credential(
        "repo-sync", "basic-auth", username="git", password="n0t-in-any-repr"
    )
    assert credential.name == "repo-sync" and credential.kind == "basic-auth"
    assert client.get_credential("repo-sync").username == "git"
    assert "repo-sync" in {c.name for c in client.credentials()}

    url = git_repository(tmp_path / "repo")
    pipeline = Pipeline.multi_branch_git("private-sync", url, credential_id="repo-sync")
    created = client.create_pipeline(pipeline)
    assert created.is_multi_branch
    scan = client.scan("private-sync", timeout=60)
    assert scan.finished and scan.succeeded and "Finished: SUCCESS" in scan.log
    assert client.scan_log("private-sync") == scan.log

    deadline = time.monotonic() + 15
    branches: list[ksdevops.Branch] = []
    while not branches and time.monotonic() < deadline:
        branches = list(client.branches("private-sync"))
        time.sleep(0.2)
    assert [b.display_name for b in branches] == ["main"]

    with pytest.raises(InvalidInput) as no_branch:
        client.parameters("private-sync")
    assert no_branch.value.field == "branch"
    parameters = client.parameters("private-sync", branch="main")
    assert [(p.name, p.default) for p in parameters] == [("TARGET", "staging")]

    run = client.trigger("private-sync", {"TARGET": "prod"}, branch="main")
    assert run.branch == "main"
    assert client.wait(run, timeout=60).succeeded
    assert "deploying to prod" in client.log(run)
    assert run.name in [r.name for r in client.runs("private-sync", branch="main")]

    client.delete_pipeline("private-sync")
    client.delete_credential("repo-sync")
    with pytest.raises(NotFound):
        client.get_credential("repo-sync")


def test_stop_and_replay(client: Client) -> None:
    run = client.trigger("params-demo", {"PERSON": "stopper"})
    client.wait(run, until="paused", timeout=60)
    stopped = client.stop(run)
    assert stopped.name == run.name
    assert client.wait(run, timeout=60).result == "ABORTED"

    done = client.trigger("go-demo-pipeline")
    client.wait(done, timeout=60)
    build = client.replay(done)
    assert build is not None and build != client.get_run(done).build_id


def test_watch_runs_sees_a_run_from_start_to_end(client: Client) -> None:
    events = client.watch_runs("go-demo-pipeline")
    run = client.trigger("go-demo-pipeline")
    changes = []
    for event in events:
        assert event.run.pipeline == "go-demo-pipeline"
        if event.run.name != run.name:
            continue
        changes.append(event.change)
        if event.run.phase in ("Succeeded", "Failed", "Cancelled"):
            break
    events.close()
    assert changes[0] == "added" and set(changes[1:]) == {"modified"}
    assert next(iter(events), None) is None, "a closed stream ends"


def test_errors_name_the_argument(client: Client) -> None:
    with pytest.raises(NotFound) as missing:
        client.get_run("no-such-run")
    assert missing.value.status == 404 and missing.value.kind == "not_found"
    with pytest.raises(InvalidInput) as until:
        client.wait("no-such-run", until="started")
    assert until.value.field == "until"
    with pytest.raises(InvalidInput) as timeout:
        client.wait("no-such-run", timeout=-1)
    assert timeout.value.field == "timeout"
    with pytest.raises(InvalidInput) as run:
        client.get_run(42)  # type: ignore[arg-type]
    assert run.value.field == "run"
    with pytest.raises(InvalidInput) as kind:
        client.create_credential("x", "token", secret="s")
    assert kind.value.field == "kind"
    with pytest.raises(InvalidInput) as field:
        client.create_credential("x", "basic-auth", username="u")
    assert field.value.field == "password"


def test_a_wait_past_its_timeout_raises_timeout(client: Client) -> None:
    run = client.trigger("params-demo", {"PERSON": "late"})
    client.wait(run, until="paused", timeout=60)
    with pytest.raises(TimeoutError) as late:
        client.wait(run, timeout=0.5)
    assert isinstance(late.value, ksdevops.Timeout) and late.value.kind == "timeout"
    client.abort(run)


def test_constructor_and_environment(sim: Sim, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as layout:
        Client(sim.url, PROJECT, layout="v5")
    assert layout.value.field == "layout"
    with pytest.raises(InvalidInput) as project:
        Client(sim.url)
    assert project.value.field == "project"
    with pytest.raises(InvalidInput) as half:
        Client(sim.url, PROJECT, username=USER)
    assert half.value.field == "password"

    monkeypatch.setenv("KUBESPHERE_API", sim.url)
    monkeypatch.setenv("DEVOPS_PROJECT", PROJECT)
    monkeypatch.setenv("KUBESPHERE_USERNAME", USER)
    monkeypatch.setenv("KUBESPHERE_PASSWORD", PASSWORD)
    monkeypatch.setenv("KUBESPHERE_LAYOUT", sim.layout)
    with Client.from_env() as from_env:
        assert from_env.project == PROJECT
        assert from_env.get_pipeline("params-demo").name == "params-demo"
    empty = tmp_path / "token"
    empty.write_text("\n")
    monkeypatch.setenv("KUBESPHERE_TOKEN_FILE", str(empty))
    with pytest.raises(InvalidInput) as token_file:
        Client.from_env()
    assert token_file.value.field == "KUBESPHERE_TOKEN_FILE"


def test_one_client_is_shared_between_threads(client: Client) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        names = list(pool.map(lambda _: client.get_pipeline("go-demo-pipeline").name, range(8)))
    assert names == ["go-demo-pipeline"] * 8
