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
