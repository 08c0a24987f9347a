"""A parameterized build with an approval: the values are checked against the pipeline's
parameters before anything is sent, the run is started, its input approved, its log
followed to the end, and its result reported (exit status 1 when it did not succeed).

Configured like the command-line tool: KUBESPHERE_API, DEVOPS_PROJECT and KUBESPHERE_TOKEN
(or KUBESPHERE_USERNAME and KUBESPHERE_PASSWORD).
"""

import sys

import ksdevops


def main() -> int:
    client = ksdevops.Client.from_env()
    try:
        run = client.trigger("params-demo", {"PERSON": "ada", "CHOICE": "Two"})
    except ksdevops.InvalidInput as bad:
        print(f"not started: {bad} (argument {bad.field})", file=sys.stderr)
        return 2
    print(f"started {run.name}")

    client.wait(run, until="paused")
    for pending in client.pending_inputs(run):
        print(f"approving {pending.id!r}: {pending.message}")
        client.approve(run, input=pending.id)

    for chunk in client.follow_log(run):
        print(chunk, end="")
    finished = client.wait(run)
    print(f"{finished.name}: {finished.result}")
    return 0 if finished.succeeded else 1


if __name__ == "__main__":
    sys.exit(main())
