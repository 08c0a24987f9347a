"""Explaining a failed run: the failing stage and step, the end of its log, and a hint for
the causes met most often (a tool missing from the agent, here)."""

import sys

import ksdevops

BROKEN = """pipeline {
  agent any
  stages { stage('Build') { steps { sh 'mvn -B package' } } }
}
"""


def main() -> int:
    client = ksdevops.Client.from_env()
    client.create_pipeline(ksdevops.Pipeline.regular("broken-build", BROKEN))
    try:
        run = client.wait(client.trigger("broken-build"))
        print(f"{run.name}: {run.result}")
        diagnosis = client.diagnose(run)
        print(f"stage {diagnosis.stage!r}, step {diagnosis.step!r}: {diagnosis.cause}")
        print(diagnosis.log_tail)
        print(f"hint: {diagnosis.hint}")
        return 0 if diagnosis.cause == "tool_not_found" else 1
    finally:
        client.delete_pipeline("broken-build")


if __name__ == "__main__":
    sys.exit(main())
