"""Downloading an artifact: run a build, list what it archived, and stream each file to disk
(checked against the listed size; never left half-written)."""

import sys
import tempfile

import ksdevops


def main(dest: str) -> int:
    client = ksdevops.Client.from_env()
    run = client.wait(client.trigger("go-demo-pipeline"))
    if not run.succeeded:
        print(f"{run.name} ended {run.result}: nothing to download", file=sys.stderr)
        return 1
    for artifact in client.artifacts(run):
        path, size = client.download(run, artifact, dest)
        print(f"{artifact.path}: {size} bytes in {path}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(sys.argv[1]))
    with tempfile.TemporaryDirectory() as scratch:
        sys.exit(main(scratch))
