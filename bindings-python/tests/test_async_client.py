"""The asyncio client against the simulator, on both layouts: the same operations, awaited."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from ksdevops import AsyncClient, InvalidInput, NotFound, Pipeline, PipelineRun, Timeout
from sim import PASSWORD, PROJECT, USER, Sim

pytestmark = pytest.mark.asyncio


async def test_lists_and_reads(aclient: AsyncClient, sim: Sim) -> None:
    assert await aclient.layout() == sim.layout
    names = [p.name async for p in aclient.pipelines()]
    assert {"params-demo", "go-demo-pipeline", "multi-branch-demo"} <= set(names)
    demo = await aclient.get_pipeline("params-demo")
    assert isinstance(demo, Pipeline) and demo.name == "params-demo"
    # A simulator that has just started may not have synced its pipelines with Jenkins yet.
    assert (await aclient.wait_synced("params-demo", timeout=30)).is_synced
    parameters = await aclient.parameters("params-demo")
    assert [p.name for p in parameters][:2] == ["PERSON", "BIOGRAPHY"]
    branches: list[str] = []
    for _ in range(75):  # the metadata sync lists them within seconds of a start
        branches = [b.display_name async for b in aclient.branches("multi-branch-demo")]
        if branches:
            break
        await asyncio.sleep(0.2)
    assert "feature/login" in branches
    with pytest.raises(NotFound):
        await aclient.get_run("no-such-run")


async def test_parameterized_build_with_approval(aclient: AsyncClient, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as bad:
        await aclient.trigger("params-demo", {"TOGGLE": "maybe"})
    assert bad.value.field == "parameters.TOGGLE"

    run = await aclient.trigger("params-demo", {"PERSON": "grace"})
    assert isinstance(run, PipelineRun)
    await aclient.wait(run, until="paused", timeout=60)
    [pending] = await aclient.pending_inputs(run)
    assert pending.id == "Deploy"
    assert await aclient.approve(run, input=pending.id) is None

    text = "".join([chunk async for chunk in aclient.follow_log(run)])
    finished = await aclient.wait(run.name, timeout=60)
    assert finished.succeeded
    assert text == await aclient.log(run)
    assert [s.name for s in await aclient.nodes(run)][-1] == "Deploy"
    [artifact] = await aclient.artifacts(run)
    sink = io.BytesIO()
    path, size = await aclient.download(run, artifact, sink)
    assert path is None and size == artifact.size == len(sink.getvalue())
    diagnosis = await aclient.diagnose(run)
    assert diagnosis.result == "SUCCESS" and diagnosis.cause is None


async def test_abort_stop_replay_and_timeout(aclient: AsyncClient) -> None:
    run = await aclient.trigger("params-demo", {"PERSON": "linus"})
    await aclient.wait(run, until="paused", timeout=60)
    with pytest.raises(Timeout):
        await aclient.wait(run, timeout=0.3)
    await aclient.abort(run)
    assert (await aclient.wait(run, timeout=60)).result == "ABORTED"

    second = await aclient.trigger("params-demo", {"PERSON": "ken"})
    await aclient.wait(second, until="paused", timeout=60)
    assert (await aclient.stop(second)).name == second.name
    assert (await aclient.wait(second, timeout=60)).result == "ABORTED"
    assert await aclient.replay(second)


async def test_pipelines_and_credentials(aclient: AsyncClient) -> None:
    credential = await aclient.create_credential("token-async", "secret-text", secret="s3cr3t-async")
    assert credential.kind == "secret-text"
    assert "token-async" in [c.name async for c in aclient.credentials()]
    await aclient.delete_credential("token-async")

    created = await aclient.create_pipeline(
        Pipeline.regular("hello-async", "pipeline { agent any\n stages { stage('Hi') { steps { echo 'hi' } } } }")
    )
    assert created.is_synced
    synced = await aclient.wait_synced("hello-async", timeout=30)
    updated = await aclient.update_pipeline(synced)
    assert updated.name == "hello-async"
    scan = await aclient.scan("multi-branch-demo", timeout=60)
    assert scan.succeeded and await aclient.scan_log("multi-branch-demo") == scan.log
    await aclient.delete_pipeline("hello-async")


async def test_watch_runs_as_an_async_iterator(aclient: AsyncClient) -> None:
    events = aclient.watch_runs("go-demo-pipeline")
    run = await aclient.trigger("go-demo-pipeline")
    changes = []
    async for event in events:
        if event.run.name == run.name:
            changes.append(event.change)
            if event.run.phase == "Succeeded":
                break
    events.close()
    assert changes[0] == "added" and changes[-1] == "modified"


async def flow(client: AsyncClient, person: str) -> PipelineRun:
    run = await client.trigger("params-demo", {"PERSON": person})
    await client.wait(run, until="paused", timeout=60)
    await client.approve(run)
    return await client.wait(run, timeout=60)


async def test_three_concurrent_flows_through_one_client(aclient: AsyncClient) -> None:
    runs = await asyncio.gather(*(flow(aclient, p) for p in ("a1", "a2", "a3")))
    assert [r.parameters["PERSON"] for r in runs] == ["a1", "a2", "a3"]
    assert all(r.succeeded for r in runs) and len({r.name for r in runs}) == 3


async def test_context_manager_and_cancellation(sim: Sim) -> None:
    async with AsyncClient(sim.url, PROJECT, username=USER, password=PASSWORD) as client:
        run = await client.trigger("params-demo", {"PERSON": "cancel"})
        waiting = asyncio.ensure_future(client.wait(run, timeout=60))
        await asyncio.sleep(0.3)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await client.wait(run, until="paused", timeout=60)
        await client.abort(run)
