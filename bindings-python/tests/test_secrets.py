"""A planted token, password and password-parameter value appear in no repr, str, exception
message or captured output."""

from __future__ import annotations

import logging

import pytest

import ksdevops
from ksdevops import Client, KsDevOpsError, ParameterDefinition
from sim import PASSWORD, PROJECT, USER, Sim

TOKEN = "tok-PLANTED-1a2b3c"
SECRET_PASSWORD = "pw-PLANTED-4d5e6f"
PARAMETER = "param-PLANTED-7g8h9i"
PLANTED = (TOKEN, SECRET_PASSWORD, PARAMETER)


def assert_clean(*texts: str) -> None:
    for text in texts:
        for planted in PLANTED:
            assert planted not in text, f"{planted!r} leaked into {text[:200]!r}"


def shown(error: BaseException) -> list[str]:
    return [str(error), repr(error), str(error.args)]


def test_nothing_shows_a_secret(
    sim: Sim, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []

    with_token = Client(sim.url, PROJECT, token=TOKEN)
    texts += [repr(with_token), str(with_token)]
    with pytest.raises(ksdevops.Unauthorized) as refused:
        with_token.get_pipeline("params-demo")
    texts += shown(refused.value)

    wrong = Client(sim.url, PROJECT, username=USER, password=SECRET_PASSWORD)
    texts += [repr(wrong)]
    with pytest.raises(KsDevOpsError) as bad_login:
        wrong.get_pipeline("params-demo")
    texts += shown(bad_login.value)

    client = Client(sim.url, PROJECT, username=USER, password=PASSWORD)
    with pytest.raises(ksdevops.InvalidInput) as bad_choice:
        client.trigger("params-demo", {"PASSWORD": PARAMETER, "CHOICE": "Nine"})
    texts += shown(bad_choice.value)
    with pytest.raises(ksdevops.InvalidInput) as bad_name:
        client.trigger("params-demo", {"PASSWORD": PARAMETER, "NOPE": PARAMETER})
    texts += shown(bad_name.value)

    run = client.trigger("params-demo", {"PERSON": "secretive", "PASSWORD": PARAMETER})
    assert run.parameters["PASSWORD"] == PARAMETER, "the value itself is there for the user"
    paused = client.wait(run, until="paused", timeout=60)
    texts += [repr(run), str(run), repr(paused), paused._repr_html_(), repr(paused.stages)]
    texts += [repr(client.pending_inputs(run)), repr(client.nodes(run))]
    texts += [repr(client.parameters("params-demo")), client.parameters("params-demo")._repr_html_()]
    client.abort(run)
    texts += [repr(client.diagnose(run)), client.diagnose(run)._repr_html_()]

    credential = client.create_credential(
        "planted-cred", "basic-auth", username="u", password=SECRET_PASSWORD
    )
    texts += [repr(credential), str(credential.to_dict()), repr(list(client.credentials()))]
    with pytest.raises(ksdevops.Conflict) as again:
        client.create_credential("planted-cred", "basic-auth", username="u", password=SECRET_PASSWORD)
    texts += shown(again.value)
    client.delete_credential("planted-cred")

    definition = ParameterDefinition(
        name="P", type="PasswordParameterDefinition", default_parameter_value={"value": PARAMETER}
    )
    texts += [repr(definition), ksdevops.ParameterList([definition])._repr_html_()]

    out, err = capfd.readouterr()
    texts += [out, err, caplog.text]
    assert_clean(*texts)
