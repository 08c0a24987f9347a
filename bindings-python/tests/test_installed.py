"""CI runs the tests against the wheel installed in a fresh virtualenv, not the source tree."""

import os
from pathlib import Path

import pytest

import ksdevops


@pytest.mark.skipif(
    not os.environ.get("KSDEVOPS_EXPECT_INSTALLED"), reason="only when run against the wheel"
)
def test_the_package_under_test_is_the_installed_wheel() -> None:
    location = Path(ksdevops.__file__).resolve()
    assert "site-packages" in location.parts, location
    assert not (location.parent / "_ksdevops.pyi").samefile(
        Path(__file__).resolve().parents[1] / "python/ksdevops/_ksdevops.pyi"
    )
