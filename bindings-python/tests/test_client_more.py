"""The rest of the Rust client's operations, sync and asyncio, on both layouts: tag runs,
chosen run names, build numbers, run deletion, step logs, agent labels, DevOps projects and
an explicit login."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

import pytest

import ksdevops
from ksdevops import AsyncClient, Client, DevOpsProject, InvalidInput, NotFound
from sim import PASSWORD, PROJECT, USER, Sim

WORKSPACE = "demo"

TAGGED_JENKINSFILE = """
pipeline {
  agent any
  parameters { string(name: 'GREETING', defaultValue: 'hello', description: 'what to say') }
  stages {
    stage('Say') { steps { echo "${params.GREETING} from the tag" } }
  }
}
"""


def tagged_repository(where: Path) -> str:
    """A git repository whose commit on `main` is also tag `v1.0`, as a file:// URL."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(where)]
    subprocess.run(["git", "init", "-q", "-b", "main", str(where)], check=True)
    (where / "Jenkinsfile").write_text(TAGGED_JENKINSFILE)
    subprocess.run(git + ["add", "Jenkinsfile"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "pipeline"], check=True)
    subprocess.run(git + ["tag", "v1.0"], check=True)
    return where.resolve().as_uri()


def run_count(client: Client, pipeline: str) -> int:
    return sum(1 for _ in client.runs(pipeline))


def test_a_tag_is_run_with_its_own_parameters(client: Client, tmp_path: Path) -> None:
    data = tag_discovering_pipeline("tagged-sync", tagged_repository(tmp_path / "repo"))
    client.create_pipeline(ksdevops.Pipeline.from_dict(data))
    assert client.scan("tagged-sync", timeout=60).succeeded
    deadline = time.monotonic() + 15
    names: set[str] = set()
    while "v1.0" not in names and time.monotonic() < deadline:
        names = {b.name or "" for b in client.branches("tagged-sync")}
        time.sleep(0.2)
    assert "v1.0" in names

    with pytest.raises(InvalidInput) as unknown:
        client.trigger("tagged-sync", {"NOPE": "x"}, tag="v1.0")
    assert unknown.value.field == "parameters.NOPE"
    with pytest.raises(InvalidInput) as both:
        client.trigger("tagged-sync", branch="main", tag="v1.0")
    assert both.value.field == "tag"
    with pytest.raises(InvalidInput) as regular:
        client.trigger("params-demo", tag="v1.0")
    assert regular.value.field == "tag"

    run = client.trigger("tagged-sync", {"GREETING": "hi"}, tag="v1.0")
    assert client.wait(run, timeout=60).succeeded
    assert "hi from the tag" in client.log(run)
    client.delete_pipeline("tagged-sync")


def tag_discovering_pipeline(name: str, url: str) -> dict[str, object]:
    """A multi-branch pipeline over `url` that discovers tags, as JSON data."""
    data = ksdevops.Pipeline.multi_branch_git(name, url).to_dict()
    spec = data["spec"]
    assert isinstance(spec, dict)
    source = spec["multi_branch_pipeline"]["git_source"]
    source["discover_tags"] = True
    return data


def test_a_chosen_run_name_starts_one_run_however_often_sent(client: Client, sim: Sim) -> None:
    name = f"fixed-name-{sim.layout}"
    before = run_count(client, "go-demo-pipeline")
    first = client.trigger("go-demo-pipeline", run_name=name)
    again = client.trigger("go-demo-pipeline", run_name=name)
    assert first.name == again.name == name
    build = client.build_id(name, timeout=60)
    assert build and client.wait(first, timeout=60).build_id == build
    deadline = time.monotonic() + 10
    while run_count(client, "go-demo-pipeline") < before + 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert run_count(client, "go-demo-pipeline") == before + 1


def test_a_finished_run_is_deleted(client: Client) -> None:
    run = client.trigger("go-demo-pipeline")
    client.wait(run, timeout=60)
    assert client.delete_run(run) is None
    with pytest.raises(NotFound):
        client.get_run(run)


def test_step_logs_and_agent_labels(client: Client) -> None:
    run = client.trigger("go-demo-pipeline")
    client.wait(run, timeout=60)
    whole = client.log(run)
    stage = next(s for s in client.nodes(run) if s.name == "Unit test")
    step = stage.steps[-1]
    assert stage.id and step.id and step.name == "Shell Script"
    text = client.step_log(run, stage.id, step.id)
    assert text == "+ go test ./...\n" and text in whole
    assert "".join(client.follow_step_log(run, stage.id, step.id)) == text
    # v1alpha2 passes a Jenkins 404 on as HTTP 500, with Jenkins' message.
    with pytest.raises(ksdevops.ServerError) as missing:
        client.step_log(run, stage.id, "99999")
    assert missing.value.status == 500 and "99999" in str(missing.value)

    labels = client.list_agent_labels()
    assert {"base", "go", "maven"} <= set(labels) and labels == sorted(labels)


def test_devops_projects(client: Client, sim: Sim) -> None:
    projects = list(client.projects(WORKSPACE))
    assert all(isinstance(p, DevOpsProject) for p in projects)
    assert PROJECT in {p.name for p in projects}
    demo = client.get_project(WORKSPACE, PROJECT)
    assert demo.admin_namespace == PROJECT and demo in projects
    assert DevOpsProject.from_dict(demo.to_dict()) == demo

    name = f"py-project-{sim.layout}"
    created = client.create_project(WORKSPACE, name)
    assert created.name == name and created.creator == USER
    assert "DevOpsProject(name='py-project" in repr(created)
    data = client.get_project(WORKSPACE, name).to_dict()
    metadata = data["metadata"]
    assert isinstance(metadata, dict)
    metadata.setdefault("annotations", {})["kubesphere.io/description"] = "made by a test"
    updated = client.update_project(WORKSPACE, data)
    assert updated.to_dict()["metadata"]["annotations"]["kubesphere.io/description"] == "made by a test"
    client.delete_project(WORKSPACE, name)
    with pytest.raises(NotFound):
        client.get_project(WORKSPACE, name)
    with pytest.raises(InvalidInput) as bad:
        client.update_project(WORKSPACE, {"metadata": "not an object"})
    assert bad.value.field == "project"


def test_login_shows_wrong_credentials_at_once(sim: Sim) -> None:
    Client(sim.url, PROJECT, username=USER, password=PASSWORD).login()
    wrong = Client(sim.url, PROJECT, username=USER, password="not-the-password")
    with pytest.raises(ksdevops.Unauthorized) as refused:
        wrong.login()
    assert "not-the-password" not in str(refused.value)


@pytest.mark.asyncio
async def test_the_same_operations_awaited(aclient: AsyncClient, sim: Sim) -> None:
    name = f"async-fixed-{sim.layout}"
    run = await aclient.trigger("go-demo-pipeline", run_name=name)
    assert (await aclient.trigger("go-demo-pipeline", run_name=name)).name == name
    assert await aclient.build_id(run, timeout=60)
    await aclient.wait(run, timeout=60)
    stage = next(s for s in await aclient.nodes(run) if s.name == "Unit test")
    step = stage.steps[-1]
    assert stage.id and step.id
    text = await aclient.step_log(run, stage.id, step.id)
    chunks = [c async for c in aclient.follow_step_log(run, stage.id, step.id)]
    assert "".join(chunks) == text == "+ go test ./...\n"
    assert text in await aclient.log(run)
    assert "go" in await aclient.list_agent_labels()
    assert await aclient.delete_run(run) is None
    with pytest.raises(NotFound):
        await aclient.get_run(run)

    projects = [p.name async for p in aclient.projects(WORKSPACE)]
    assert PROJECT in projects
    project = f"async-project-{sim.layout}"
    created = await aclient.create_project(WORKSPACE, project)
    assert created.name == project
    assert (await aclient.get_project(WORKSPACE, project)).name == project
    updated = await aclient.update_project(WORKSPACE, created)
    assert updated.name == project
    assert await aclient.delete_project(WORKSPACE, project) is None
    with pytest.raises(NotFound):
        await aclient.get_project(WORKSPACE, project)
    assert await aclient.login() is None


@pytest.mark.asyncio
async def test_a_tag_is_run_awaited(aclient: AsyncClient, tmp_path: Path) -> None:
    data = tag_discovering_pipeline("tagged-async", tagged_repository(tmp_path / "repo"))
    await aclient.create_pipeline(data)
    assert (await aclient.scan("tagged-async", timeout=60)).succeeded
    for _ in range(75):
        if "v1.0" in [b.name async for b in aclient.branches("tagged-async")]:
            break
        await asyncio.sleep(0.2)
    run = await aclient.trigger("tagged-async", tag="v1.0")
    assert (await aclient.wait(run, timeout=60)).succeeded
    assert "hello from the tag" in await aclient.log(run)
    await aclient.delete_pipeline("tagged-async")

