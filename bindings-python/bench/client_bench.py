"""ksdevops.Client against hand-written httpx code, on one simulator in one run:

* list and decode 1,000 runs: ``Client.runs`` against httpx + json, page by page: the
  hand-written client asks for 50 a page (``list_speedup``), and, to separate the page size
  from the decoding, also for the client's own page size (``list_speedup_same_pages``);
* follow a 50 MB log: ``Client.follow_log`` against a raw httpx stream of the same log.

Every figure is the median of ``--reps`` interleaved repetitions (the order alternates), with
``_min``/``_max`` fields for its range; a ratio is taken within each repetition. The last line
is ``bench python key=value ...``. A measurement, never a check.

    python client_bench.py --sim target/release/ksdevops-sim [--reps 5] [--runs 1000] [--log-mb 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

import httpx

import ksdevops

PROJECT = "bench"
USER, PASSWORD = "admin", "bench-pass"
CLIENT_PAGE = 500  # the core's PAGE_SIZE
LINE = "0123456789abcdef" * 4096  # 64 KiB per echo: few steps, the log is mostly payload


def scenario(log_mb: int) -> dict[str, Any]:
    """A tiny pipeline to run many times, and one whose log is about `log_mb` MB: a body of
    16 echoes of 64 KiB, retried `log_mb` times (the run fails; its log is what counts)."""
    echoes = "\n".join(f"echo '{LINE}'" for _ in range(16))
    body = f"retry({log_mb}) {{\n{echoes}\nerror 'again'\n}}"
    pipelines = {
        "tiny": "pipeline { agent any\n stages { stage('One') { steps { echo 'hi' } } } }",
        "biglog": f"pipeline {{ agent any\n stages {{ stage('Log') {{ steps {{\n{body}\n}} }} }} }}",
    }
    return {
        "workspaces": ["ws"],
        "users": [{"name": USER, "password": PASSWORD, "admin": True}],
        "oauth_clients": [{"id": "kubesphere", "secret": "kubesphere"}],
        # The clock runs 1000x: a token must outlive the run in simulated years.
        "token_ttl_seconds": 10**9,
        "projects": [{"name": PROJECT, "workspace": "ws", "creator": USER}],
        "pipelines": [
            {
                "resource": {
                    "metadata": {"name": name, "namespace": PROJECT},
                    "spec": {"type": "pipeline", "pipeline": {"name": name, "jenkinsfile": text}},
                }
            }
            for name, text in pipelines.items()
        ],
    }


def start_sim(binary: str, scenario_file: Path) -> tuple[subprocess.Popen[str], str]:
    sim = subprocess.Popen(
        [binary, "--scenario", str(scenario_file), "--speed", "1000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert sim.stdout is not None
    return sim, sim.stdout.readline().strip()


def token(url: str) -> str:
    answer = httpx.post(
        f"{url}/oauth/token",
        data={
            "grant_type": "password",
            "username": USER,
            "password": PASSWORD,
            "client_id": "kubesphere",
            "client_secret": "kubesphere",
        },
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def timed(work: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    count = work()
    return time.perf_counter() - started, count


def add_stat(fields: dict[str, Any], key: str, values: list[float], decimals: int) -> None:
    """`key` (the median), `key_min` and `key_max` of the repetitions."""
    fields[key] = round(statistics.median(values), decimals)
    fields[f"{key}_min"] = round(min(values), decimals)
    fields[f"{key}_max"] = round(max(values), decimals)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sim", required=True)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--log-mb", type=int, default=50)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        scenario_file = Path(scratch) / "bench.json"
        scenario_file.write_text(json.dumps(scenario(options.log_mb)))
        sim, url = start_sim(options.sim, scenario_file)
    try:
        client = ksdevops.Client(url, PROJECT, username=USER, password=PASSWORD)
        layout = client.layout()
        note(f"simulator at {url} ({layout}); starting {options.runs} runs")
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda _: client.trigger("tiny"), range(options.runs)))
        note("runs started; running the big-log pipeline")
        big = client.wait(client.trigger("biglog"), timeout=3600)
        note(f"big-log run {big.name} ended {big.result}; measuring")

        bearer = {"Authorization": f"Bearer {token(url)}"}
        http = httpx.Client(base_url=url, headers=bearer, timeout=120)

        def ours_list() -> int:
            return sum(1 for run in client.runs("tiny") if run.name)

        def httpx_list(limit: int = 50) -> int:
            count, page = 0, 1
            while True:
                request = ksdevops.build_request(
                    "list_pipeline_runs",
                    {"devops": PROJECT, "pipeline": "tiny", "page": page, "limit": limit},
                    layout=layout,
                )
                answer = http.get(request.path, params=request.query, headers=request.headers)
                answer.raise_for_status()
                body = json.loads(answer.content)
                items = body.get("items") or []
                count += sum(1 for item in items if item["metadata"]["name"])
                if len(items) < limit:
                    return count
                page += 1

        log_request = ksdevops.build_request(
            "get_run_log",
            {"devops": PROJECT, "pipeline": "tiny", "run_id": big.build_id, "start": 0},
            layout=layout,
        )
        log_path = log_request.path.replace("/pipelines/tiny/", "/pipelines/biglog/")

        def ours_log() -> int:
            # Text chunks; the log is ASCII, so characters count its bytes.
            return sum(len(chunk) for chunk in client.follow_log(big))

        def httpx_log() -> int:
            with http.stream(
                "GET", log_path, params=log_request.query, headers=log_request.headers
            ) as answer:
                answer.raise_for_status()
                return sum(len(chunk) for chunk in answer.iter_bytes())

        cases = {
            "list_ours": ours_list,
            "list_httpx": httpx_list,
            "list_httpx_same_pages": lambda: httpx_list(CLIENT_PAGE),
            "log_ours": ours_log,
            "log_httpx": httpx_log,
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        counts: dict[str, int] = {}
        for rep in range(options.reps):
            order = list(cases) if rep % 2 == 0 else list(reversed(cases))
            for name in order:
                took, counts[name] = timed(cases[name])
                times[name].append(took)
        assert counts["list_ours"] == counts["list_httpx"] >= options.runs, counts
        assert counts["list_httpx_same_pages"] == counts["list_ours"], counts
        assert counts["log_ours"] == counts["log_httpx"], counts
        # Each ratio is taken within one repetition (the cases of a repetition ran back to
        # back), then the median and range of the repetitions' ratios are reported.
        ratios = {
            "list_speedup": ("list_httpx", "list_ours"),
            "list_speedup_same_pages": ("list_httpx_same_pages", "list_ours"),
            "log_ratio": ("log_httpx", "log_ours"),
        }
        fields: dict[str, Any] = {
            "layout": layout,
            "reps": options.reps,
            "runs": counts["list_ours"],
            "log_mb": round(counts["log_ours"] / 1e6, 1),
        }
        for name, values in times.items():
            add_stat(fields, f"{name}_ms", [v * 1000 for v in values], 1)
        for key, (theirs, ours) in ratios.items():
            per_rep = [t / o for t, o in zip(times[theirs], times[ours])]
            add_stat(fields, key, per_rep, 2)
        print("bench python " + " ".join(f"{k}={v}" for k, v in fields.items()))
    finally:
        sim.kill()
        sim.wait()


if __name__ == "__main__":
    main()
