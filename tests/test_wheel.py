"""The shipped data works from an installed wheel, not only from a checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_recommends(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("groupfinder-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "formats.toml",
        "groups.csv",
        "helplines.toml",
        "places.csv",
        "hsds_mapping.toml",
    ):
        assert f"groupfinder/data/{name}" in names
    for language in ("nl", "fr", "en"):
        assert f"groupfinder/locale/{language}/LC_MESSAGES/groupfinder.po" in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        str(wheel),
    ]
    subprocess.run(pip, check=True, capture_output=True)

    # Run from an empty folder, with no hint of the checkout, as a user would.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GROUPFINDER", "PYTHON"))}
    env["GROUPFINDER_LANG"] = "en"
    work = tmp_path / "elsewhere"
    work.mkdir()
    answers = work / "answers.json"
    answers.write_text(json.dumps({"needs": ["rest"], "location": "Leuven"}), encoding="utf-8")
    result = subprocess.run(
        [
            str(venv / "bin" / "groupfinder"),
            "recommend",
            "--answers",
            str(answers),
            "--format",
            "json",
            "--limit",
            "2",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["formats"][0]["id"] == "wellness_retreat"
    assert len(data["groups"]) == 2
    assert data["groups"][0]["reasons"][0]["text"].startswith("Soort groep")  # Dutch answers

    validate = subprocess.run(
        [str(venv / "bin" / "groupfinder"), "catalog", "validate"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert validate.returncode == 0, validate.stderr
    assert str(venv) in validate.stdout, "the catalog must come from the installed package"
