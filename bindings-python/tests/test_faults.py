"""Under the simulator's fault injection (about a quarter of requests failing: 5xx, 429,
dropped connections, cut bodies), the client still gives exactly what the server holds."""

from __future__ import annotations

import asyncio
from typing import Iterator

import pytest

from ksdevops import AsyncClient, Client
from sim import PASSWORD, PROJECT, USER, Sim

FAULTS = {
    "error_rate": 0.2,
    "error_statuses": [429, 502, 503, 504],
    "retry_after_secs": 0,
    "drop_rate": 0.05,
    "truncate_rate": 0.03,
    "max_in_a_row": 3,
    "seed": 5,
}


@pytest.fixture(scope="module", params=["v4", "v3"])
def faulty(request: pytest.FixtureRequest) -> Iterator[Sim]:
    """A simulator of its own: faults apply to every request it serves."""
    server = Sim(layout=request.param, speed=10)
    yield server
    server.stop()


def connect(sim: Sim) -> Client:
    return Client(sim.url, PROJECT, username=USER, password=PASSWORD, layout=sim.layout)


def test_a_followed_log_equals_a_clean_read_byte_for_byte(faulty: Sim) -> None:
    client = connect(faulty)
    run = client.trigger("params-demo", {"PERSON": "faulty"})
    client.wait(run, until="paused", timeout=60)
    client.approve(run)
    faulty.set_faults(FAULTS)
    try:
        before = faulty.injected_faults()
        followed = "".join(client.follow_log(run))
        assert client.wait(run, timeout=60).succeeded
        assert faulty.injected_faults() > before, "faults were injected meanwhile"
    finally:
        faulty.set_faults(None)
    assert followed.encode() == client.log(run).encode()


def test_n_triggers_make_exactly_n_runs(faulty: Sim) -> None:
    client = connect(faulty)
    before = {r.name for r in client.runs("go-demo-pipeline")}
    faulty.set_faults(FAULTS)
    try:
        started = [client.trigger("go-demo-pipeline").name for _ in range(6)]
    finally:
        faulty.set_faults(None)
    after = {r.name for r in client.runs("go-demo-pipeline")}
    assert len(set(started)) == 6
    assert after - before == set(started)


def test_three_concurrent_async_flows_end_correctly(faulty: Sim) -> None:
    """trigger, follow and wait, three at once through one AsyncClient. (An approval is
    not part of it: it is sent once, so a lost answer is rightly an error.)"""

    async def flow(client: AsyncClient) -> tuple[str, str | None, str]:
        run = await client.trigger("go-demo-pipeline")
        log = "".join([chunk async for chunk in client.follow_log(run)])
        ended = await client.wait(run, timeout=90)
        return ended.name or "", ended.result, log

    async def main() -> list[tuple[str, str | None, str]]:
        client = AsyncClient(faulty.url, PROJECT, username=USER, password=PASSWORD)
        return await asyncio.gather(*(flow(client) for _ in range(3)))

    faulty.set_faults(FAULTS)
    try:
        results = asyncio.run(main())
    finally:
        faulty.set_faults(None)
    assert len({name for name, _, _ in results}) == 3
    assert [result for _, result, _ in results] == ["SUCCESS"] * 3
    clean = connect(faulty)
    for name, _, log in results:
        assert log == clean.log(name)


def test_a_refused_watch_is_reported_and_the_wait_polls_instead(faulty: Sim) -> None:
    client = connect(faulty)
    assert client.watch_refusal is None, "not tried yet"
    faulty.set_faults(
        {"error_rate": 1.0, "error_statuses": [403], "path_contains": "watch=true", "seed": 5}
    )
    try:
        ended = client.wait(client.trigger("go-demo-pipeline"), timeout=90)
    finally:
        faulty.set_faults(None)
    assert ended.state == "succeeded"
    refusal = client.watch_refusal
    assert refusal is not None and "403" in refusal, refusal
