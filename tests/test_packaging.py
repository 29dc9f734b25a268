"""Requirements that mean something, and a lock that covers them.

constraints.txt (``make lock``) must pin every requirement of pyproject.toml, the build
backend's included, to a version the requirement allows: otherwise an install from a clean
clone would either fail or quietly take a version nobody tested.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, equals, version = line.partition("==")
            assert equals, f"constraints.txt: {line!r} is not name==version"
            pins[canonicalize_name(name)] = version
    return pins


def requirements(*extras: str) -> list[Requirement]:
    texts = list(PROJECT["dependencies"])
    for extra in extras:
        texts += PROJECT["optional-dependencies"][extra]
    return [Requirement(text) for text in texts]


def every_requirement() -> list[Requirement]:
    build = [Requirement(text) for text in PYPROJECT["build-system"]["requires"]]
    return [*requirements("serve", "test"), *build]


@pytest.mark.parametrize("requirement", every_requirement(), ids=str)
def test_the_lock_pins_every_requirement_to_an_allowed_version(requirement: Requirement) -> None:
    name = canonicalize_name(requirement.name)
    if name == PROJECT["name"]:  # the test extra pulls in groupfinder[serve]
        return
    pins = locked()
    assert name in pins, f"constraints.txt does not pin {name}: run make lock"
    assert requirement.specifier.contains(pins[name], prereleases=True), (
        f"constraints.txt pins {name}=={pins[name]}, pyproject.toml asks {requirement}: "
        "run make lock"
    )


def test_the_lock_pins_what_the_requirements_bring() -> None:
    # textual-serve brings aiohttp and jinja2; Textual brings rich.
    assert {"aiohttp", "jinja2", "rich", "pydantic-core", "editables"} <= set(locked())


def test_no_marker_that_can_never_hold() -> None:
    oldest = SpecifierSet(PROJECT["requires-python"])
    assert oldest.contains("3.11")
    assert not oldest.contains("3.10")
    for requirement in requirements(*PROJECT["optional-dependencies"]):
        if requirement.marker is None:
            continue
        for python in ("3.11", "3.12", "3.13", "3.14"):
            if requirement.marker.evaluate({"python_version": python, "extra": ""}):
                break
        else:
            raise AssertionError(f"{requirement} never installs under requires-python {oldest}")
    assert not any(canonicalize_name(r.name) == "tomli" for r in requirements()), (
        "Python 3.11 has tomllib"
    )


def test_the_serve_extra_is_apart_from_the_core() -> None:
    core = {canonicalize_name(r.name) for r in requirements()}
    serve = {
        canonicalize_name(Requirement(t).name) for t in PROJECT["optional-dependencies"]["serve"]
    }
    assert serve == {"textual-serve"}
    assert not core & {"textual-serve", "aiohttp", "jinja2", "pytest", "playwright", "mypy"}
    assert "groupfinder[serve]" in PROJECT["optional-dependencies"]["test"]


def test_rich_follows_textual() -> None:
    (rich,) = [r for r in requirements() if canonicalize_name(r.name) == "rich"]
    assert str(rich.specifier) == "", "Textual's own requirement decides Rich's version"
