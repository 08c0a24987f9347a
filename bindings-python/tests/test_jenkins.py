"""Jenkins itself (through ks-devops' proxy, and as an administrator at Jenkins' own URL) and
the project's GitRepository resources, blocking and awaited, against the simulator."""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path

import pytest

import ksdevops
from ksdevops import AsyncClient, Client
from sim import PASSWORD, PROJECT, USER, Sim

GO_JOB = f"{PROJECT}/go-demo-pipeline"
PARAMS_JOB = f"{PROJECT}/params-demo"
PLANTED = "hunter2-planted"


def admin_client(sim: Sim) -> Client:
    return Client(sim.url, PROJECT, username=USER, password=PASSWORD, jenkins_url=f"{sim.url}/jenkins")


def finished(jenkins: ksdevops.Jenkins, job: str, number: int) -> dict:
    for _ in range(600):
        build = jenkins.status(job, number)
        if not build["building"]:
            return build
        time.sleep(0.05)
    raise AssertionError(f"{job} #{number} did not finish")


@pytest.mark.parametrize("way", ["proxy", "admin"])
def test_every_jenkins_operation_both_ways(sim: Sim, way: str, tmp_path: Path) -> None:
    client = admin_client(sim)
    jenkins = client.jenkins_admin() if way == "admin" else client.jenkins()
    assert jenkins.is_admin == (way == "admin")

    top = jenkins.jobs()
    assert any(job["name"] == PROJECT for job in top), top
    names: list[str] = []
    for _ in range(200):  # a pipeline's Jenkins job exists once KubeSphere synced it
        names = [job["name"] for job in jenkins.jobs(PROJECT)]
        if len(names) >= 4:
            break
        time.sleep(0.05)
    assert "params-demo" in names and "go-demo-pipeline" in names, names

    queue_id = jenkins.build(
        PARAMS_JOB, {"PERSON": "ann", "PASSWORD": PLANTED}, secret_names=["PASSWORD"]
    )
    number = jenkins.build_number(queue_id)
    status = jenkins.status(PARAMS_JOB, number)
    assert status["number"] == number
    assert PLANTED not in repr(status), "Jenkins never shows a password parameter"
    runs = [run.build_id for run in client.runs("params-demo")]
    assert str(number) in runs, "a Jenkins build is a run"

    number = jenkins.build_number(jenkins.build(GO_JOB))
    build = finished(jenkins, GO_JOB, number)
    assert build["result"] == "SUCCESS", build
    assert "go build" in jenkins.console(GO_JOB, number)
    path, size = jenkins.download(GO_JOB, number, "service", tmp_path)
    assert path == str(tmp_path / "service") and size == (tmp_path / "service").stat().st_size
    buffer = io.BytesIO()
    assert jenkins.download(GO_JOB, number, "service", buffer) == (None, size)
    assert buffer.getvalue() == (tmp_path / "service").read_bytes()
    with pytest.raises(ksdevops.NotFound):
        jenkins.download(GO_JOB, number, "nothing.jar", tmp_path)
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))

    assert any(label["label"] == "maven" for label in jenkins.labels())


def test_jenkins_refusals_name_the_argument(sim: Sim) -> None:
    client = admin_client(sim)
    jenkins = client.jenkins()
    for job in ["../x", f"{PROJECT}/a%2Fb", f"{PROJECT}/a\u0007b", f"{PROJECT}//x"]:
        with pytest.raises(ksdevops.InvalidInput) as raised:
            jenkins.status(job, 1)
        assert raised.value.field == "job", job
    with pytest.raises(ksdevops.InvalidInput) as raised:
        jenkins.console(GO_JOB, 0)
    assert raised.value.field == "number"
    with pytest.raises(ksdevops.InvalidInput) as raised:
        jenkins.download(GO_JOB, 1, "../../etc/passwd", ".")
    assert raised.value.field == "artifact"
    with pytest.raises(ksdevops.InvalidInput) as raised:
        jenkins.build(PARAMS_JOB, {"PERSON": ["a", "list"]})
    assert raised.value.field == 'values["PERSON"]'
    with pytest.raises(OverflowError):
        jenkins.status(GO_JOB, -1)

    without_url = Client(sim.url, PROJECT, username=USER, password=PASSWORD)
    with pytest.raises(ksdevops.InvalidInput) as raised:
        without_url.jenkins_admin()
    assert raised.value.field == "jenkins_url"
    with pytest.raises(ksdevops.InvalidInput) as raised:
        Client(sim.url, PROJECT, token="t", jenkins_url="ci.example.com")
    assert raised.value.field == "jenkins_url"
    member = Client(
        sim.url, PROJECT, username="stone-ns-admin", password=PASSWORD, jenkins_url=f"{sim.url}/jenkins"
    )
    with pytest.raises(ksdevops.Forbidden):
        member.jenkins_admin()


def test_the_admin_token_never_shows(sim: Sim) -> None:
    client = admin_client(sim)
    jenkins = client.jenkins_admin()
    shown = [repr(jenkins), repr(client)]
    with pytest.raises(ksdevops.NotFound) as raised:
        jenkins.status(GO_JOB, 99999)
    shown.append(str(raised.value))
    token = secret_token(sim)
    assert len(token) >= 16
    for text in shown:
        assert token not in text, text
    assert f"{sim.url}/jenkins" in repr(jenkins)


def secret_token(sim: Sim) -> str:
    """The admin token as the Secret holds it, read with the sans-I/O half."""
    import base64
    import json
    import urllib.request

    login = ksdevops.build_request("login", {"username": USER, "password": PASSWORD})
    with urllib.request.urlopen(
        urllib.request.Request(
            login.url(sim.url), data=login.body_bytes(), headers=login.headers, method=login.method
        )
    ) as answer:
        bearer = json.load(answer)["access_token"]
    request = ksdevops.build_request("get_jenkins_secret", {})
    with urllib.request.urlopen(
        urllib.request.Request(
            request.url(sim.url), headers={**request.headers, "Authorization": f"Bearer {bearer}"}
        )
    ) as answer:
        secret = json.load(answer)
    return base64.b64decode(secret["data"]["jenkins-admin-token"]).decode()


def test_git_repositories_end_to_end(client: Client, sim: Sim) -> None:
    name = f"app-{sim.layout}"
    created = client.create_git_repository(
        name, "https://github.com/acme/app.git", provider="github", credential="github-token"
    )
    assert created["metadata"]["annotations"]["kubesphere.io/creator"] == USER
    assert name in [r["metadata"]["name"] for r in client.git_repositories()]
    read = client.get_git_repository(name)
    read["spec"]["url"] = "git@gitlab.example.com:acme/app.git"
    read["spec"]["provider"] = "gitlab"
    updated = client.update_git_repository(read)
    assert updated["spec"]["url"] == "git@gitlab.example.com:acme/app.git"
    assert client.get_git_repository(name)["spec"]["secret"]["name"] == "github-token"
    client.delete_git_repository(name)
    with pytest.raises(ksdevops.NotFound):
        client.get_git_repository(name)
    with pytest.raises(ksdevops.InvalidInput) as raised:
        client.create_git_repository("bad", "file:///etc/passwd")
    assert raised.value.field == "url"
    with pytest.raises(ksdevops.InvalidInput) as raised:
        client.get_git_repository("../x")
    assert raised.value.field == "git_repository"
    with pytest.raises(ksdevops.InvalidInput) as raised:
        client.update_git_repository({"spec": {}})
    assert raised.value.field == "git_repository.metadata.name"


@pytest.mark.asyncio
async def test_jenkins_and_git_repositories_awaited(sim: Sim, tmp_path: Path) -> None:
    client = AsyncClient(
        sim.url, PROJECT, username=USER, password=PASSWORD, jenkins_url=f"{sim.url}/jenkins"
    )
    for jenkins in [client.jenkins(), await client.jenkins_admin()]:
        assert isinstance(jenkins, ksdevops.AsyncJenkins)
        names: list[str] = []
        for _ in range(200):  # a pipeline's Jenkins job exists once KubeSphere synced it
            names = [job["name"] for job in await jenkins.jobs(PROJECT)]
            if len(names) >= 4:
                break
            await asyncio.sleep(0.05)
        assert "go-demo-pipeline" in names, names
        number = await jenkins.build_number(await jenkins.build(GO_JOB))
        for _ in range(600):
            build = await jenkins.status(GO_JOB, number)
            if not build["building"]:
                break
            await asyncio.sleep(0.05)
        assert build["result"] == "SUCCESS", build
        assert "go build" in await jenkins.console(GO_JOB, number)
        path, _ = await jenkins.download(GO_JOB, number, "service", tmp_path / f"s-{number}")
        assert path is not None and Path(path).is_file()
        assert await jenkins.labels()

    name = f"async-app-{sim.layout}"
    await client.create_git_repository(name, "https://github.com/acme/app.git")
    read = await client.get_git_repository(name)
    read["spec"]["provider"] = "github"
    assert (await client.update_git_repository(read))["spec"]["provider"] == "github"
    assert name in [r["metadata"]["name"] for r in await client.git_repositories()]
    await client.delete_git_repository(name)
