import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VECTORS = Path(os.environ.get("KSDEVOPS_VECTORS", REPO / "tests" / "vectors"))


def vector_files(kind: str) -> list[Path]:
    """The vector files of tests/vectors/<kind>/, sorted (an empty list if there are none)."""
    return sorted((VECTORS / kind).glob("*.json"))


def load(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture
def vectors_dir() -> Path:
    return VECTORS


# --- the simulator and clients of the client tests ---------------------------------------

from typing import Iterator  # noqa: E402

import ksdevops  # noqa: E402

from sim import PASSWORD, PROJECT, USER, Sim  # noqa: E402


@pytest.fixture(scope="session", params=["v4", "v3"])
def sim(request: pytest.FixtureRequest) -> Iterator[Sim]:
    """One simulator per API layout for the whole session (its runs accumulate)."""
    server = Sim(layout=request.param)
    yield server
    server.stop()


@pytest.fixture
def client(sim: Sim) -> ksdevops.Client:
    return ksdevops.Client(sim.url, PROJECT, username=USER, password=PASSWORD)


@pytest.fixture
def aclient(sim: Sim) -> ksdevops.AsyncClient:
    return ksdevops.AsyncClient(sim.url, PROJECT, username=USER, password=PASSWORD)
