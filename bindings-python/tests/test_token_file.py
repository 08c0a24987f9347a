"""Client.from_env() and the token file `ksdevops login --save-token` writes: plain text, or
JSON with an `access_token` (a `refresh_token` beside it is tolerated)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ksdevops import Client, InvalidInput
from sim import PASSWORD, PROJECT, USER, Sim


def password_grant(sim: Sim) -> dict[str, object]:
    form = urllib.parse.urlencode(
        {
            "grant_type": "password",
            "username": USER,
            "password": PASSWORD,
            "client_id": "kubesphere",
            "client_secret": "kubesphere",
        }
    ).encode()
    with urllib.request.urlopen(f"{sim.url}/oauth/token", data=form) as answer:
        return dict(json.load(answer))


def access_token(sim: Sim) -> str:
    return str(password_grant(sim)["access_token"])


def test_from_env_reads_the_saved_token_file_in_either_form(
    sim: Sim, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KUBESPHERE_API", sim.url)
    monkeypatch.setenv("DEVOPS_PROJECT", PROJECT)
    for name in ("KUBESPHERE_TOKEN", "KUBESPHERE_USERNAME", "KUBESPHERE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    token = access_token(sim)
    saved = tmp_path / "token"
    for text in (token + "\n", json.dumps({"access_token": token, "refresh_token": "r-s3cret"})):
        saved.write_text(text)
        monkeypatch.setenv("KUBESPHERE_TOKEN_FILE", str(saved))
        assert Client.from_env().get_pipeline("params-demo").name == "params-demo"
    saved.write_text(json.dumps({"refresh_token": "r-s3cret"}))
    with pytest.raises(InvalidInput) as unreadable:
        Client.from_env()
    assert unreadable.value.field == "KUBESPHERE_TOKEN_FILE"
    assert "access_token" in str(unreadable.value) and "r-s3cret" not in str(unreadable.value)


def test_from_env_renews_an_expired_token_through_the_files_refresh_token(
    sim: Sim, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    refresh = str(password_grant(sim)["refresh_token"])
    monkeypatch.setenv("KUBESPHERE_API", sim.url)
    monkeypatch.setenv("DEVOPS_PROJECT", PROJECT)
    for name in ("KUBESPHERE_TOKEN", "KUBESPHERE_USERNAME", "KUBESPHERE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    saved = tmp_path / "token.json"
    saved.write_text(json.dumps({"access_token": "no-longer-valid", "refresh_token": refresh}))
    monkeypatch.setenv("KUBESPHERE_TOKEN_FILE", str(saved))
    client = Client.from_env()
    assert client.get_pipeline("params-demo").name == "params-demo"
    assert refresh not in repr(client) and "no-longer-valid" not in repr(client)

    # The renewed token is written back, so the next process starts with it. No assertion
    # below compares token text, so that a failure cannot print a token.
    rewritten = json.loads(saved.read_text())
    renewed = rewritten["access_token"]
    is_new = renewed not in ("no-longer-valid", "") and "refresh_token" in rewritten
    assert is_new, "the file holds the renewed token and a refresh token"
    assert saved.stat().st_mode & 0o777 == 0o600, "the rewritten file is private"
    assert [p.name for p in tmp_path.iterdir()] == ["token.json"], "no temporary file is left"
    fresh = Client(sim.url, project=PROJECT, token=renewed)
    assert fresh.get_pipeline("params-demo").name == "params-demo", "the saved token works"
