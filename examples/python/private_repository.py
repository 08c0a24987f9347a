"""The private-repository multi-branch flow: a credential for the repository, a multi-branch
pipeline that reads it, a scan, the branches found, the parameters of one branch, and a run
of it with those parameters.

The repository is REPO_URL (read with GIT_USERNAME and GIT_TOKEN); without REPO_URL a small
local git repository is made, which the simulator can scan.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ksdevops

JENKINSFILE = """pipeline {
  agent any
  parameters { string(name: 'TARGET', defaultValue: 'staging', description: 'where to deploy') }
  stages { stage('Deploy') { steps { echo "deploying to ${params.TARGET}" } } }
}
"""


def demo_repository(where: Path) -> str:
    git = ["git", "-c", "user.name=demo", "-c", "user.email=demo@example.com", "-C", str(where)]
    subprocess.run(["git", "init", "-q", "-b", "main", str(where)], check=True)
    (where / "Jenkinsfile").write_text(JENKINSFILE)
    subprocess.run(git + ["add", "Jenkinsfile"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "Jenkinsfile"], check=True)
    return where.resolve().as_uri()


def branches(client: ksdevops.Client, pipeline: str) -> list[ksdevops.Branch]:
    """The branches, once the server's next metadata sync lists them."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = list(client.branches(pipeline))
        if found:
            return found
        time.sleep(1)
    raise TimeoutError(f"{pipeline}: no branches after the scan")


def main(url: str) -> int:
    client = ksdevops.Client.from_env()
    credential = client.create_credential(
        "private-repo",
        "basic-auth",
        username=os.environ.get("GIT_USERNAME", "git"),
        password=os.environ.get("GIT_TOKEN", "demo-token"),
    )
    print(f"credential {credential.name} ({credential.kind})")
    pipeline = ksdevops.Pipeline.multi_branch_git("private-app", url, credential_id=credential.name)
    client.create_pipeline(pipeline)
    scan = client.scan("private-app")
    print(f"scan finished, succeeded: {scan.succeeded}")

    branch = branches(client, "private-app")[0]
    parameters = client.parameters("private-app", branch=branch.display_name)
    # Defaults known only when the build runs (ksdevops.Unresolved) are left to Jenkins.
    values = {
        p.name: p.default
        for p in parameters
        if isinstance(p.name, str) and p.default is not None and not isinstance(p.default, ksdevops.Unresolved)
    }
    print(f"branch {branch.display_name}: {values}")
    run = client.trigger("private-app", values, branch=branch.display_name)
    finished = client.wait(run)
    print(f"{finished.name}: {finished.result}")

    client.delete_pipeline("private-app")
    client.delete_credential(credential.name or "private-repo")
    return 0 if finished.succeeded else 1


if __name__ == "__main__":
    given = os.environ.get("REPO_URL")
    if given:
        sys.exit(main(given))
    with tempfile.TemporaryDirectory() as scratch:
        sys.exit(main(demo_repository(Path(scratch) / "repo")))
