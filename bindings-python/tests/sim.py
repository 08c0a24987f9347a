"""Starting ``ksdevops-sim`` for the client tests: a subprocess on 127.0.0.1, port 0."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Optional

REPO = Path(__file__).resolve().parents[2]
PROJECT = "demo-project"
USER = "admin"
PASSWORD = "P@88w0rd"


def sim_binary() -> Path:
    """``KSDEVOPS_SIM``, else the debug build in Cargo's target directory."""
    given = os.environ.get("KSDEVOPS_SIM")
    if given:
        return Path(given)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    if not target.is_absolute():
        target = REPO / target
    return target / "debug" / "ksdevops-sim"


class Sim:
    """A running simulator; ``url`` is its base URL."""

    def __init__(self, layout: str = "v4", speed: float = 20.0) -> None:
        binary = sim_binary()
        if not binary.exists():
            raise RuntimeError(f"{binary} is missing: run `cargo build -p ksdevops-sim`")
        self.layout = layout
        self.process = subprocess.Popen(
            [str(binary), "--layout", layout, "--speed", str(speed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http"):
            self.stop()
            raise RuntimeError(f"the simulator did not start: {self.url!r}")

    def set_faults(self, faults: Optional[dict[str, Any]] = None) -> None:
        """Injects faults from now on (none when ``faults`` is None)."""
        body = json.dumps(faults or {}).encode()
        request = urllib.request.Request(f"{self.url}/_sim/faults", data=body, method="POST")
        with urllib.request.urlopen(request) as answer:
            assert answer.status == 200

    def injected_faults(self) -> int:
        with urllib.request.urlopen(f"{self.url}/_sim/faults") as answer:
            injected = json.load(answer)["injected"]
        return sum(int(injected.get(k, 0)) for k in ("errors", "drops", "truncations"))

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
