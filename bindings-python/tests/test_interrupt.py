"""Ctrl-C during a blocking wait: SIGINT to a child process raises KeyboardInterrupt in it
within about a second, and its client still works afterwards."""

from __future__ import annotations

import select
import signal
import subprocess
import sys
import time

from sim import PASSWORD, PROJECT, USER, Sim

CHILD = """
import sys, time
import ksdevops

client = ksdevops.Client(sys.argv[1], {project!r}, username={user!r}, password={password!r})
run = client.trigger("params-demo", {{"PERSON": "sigint"}})
client.wait(run, until="paused", timeout=60)
print("waiting", flush=True)
started = time.monotonic()
try:
    client.wait(run, timeout=600)
    print("finished?", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
client.abort(run)
print("after", client.wait(run, timeout=60).result, flush=True)
"""


def next_line(child: "subprocess.Popen[str]", within: float) -> str:
    """The child's next line, or a failure (instead of a hang) when none comes in time."""
    assert child.stdout is not None
    ready, _, _ = select.select([child.stdout], [], [], within)
    assert ready, f"no line from the child within {within} s"
    return child.stdout.readline().strip()


def test_sigint_interrupts_a_blocking_wait(sim: Sim) -> None:
    code = CHILD.format(project=PROJECT, user=USER, password=PASSWORD)
    child = subprocess.Popen(
        [sys.executable, "-c", code, sim.url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert next_line(child, 60) == "waiting"
        time.sleep(1.0)  # well inside the blocking wait
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        assert next_line(child, 5) == "interrupted"
        took = time.monotonic() - sent
        assert took < 1.5, f"KeyboardInterrupt came {took:.2f} s after SIGINT"
        assert child.stdout.readline().strip() == "after ABORTED"
        assert child.wait(timeout=30) == 0
    finally:
        child.kill()
