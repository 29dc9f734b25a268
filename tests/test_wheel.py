"""The shipped data and the compiled translations work from an installed wheel, not only
from a checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from groupfinder.domain.i18n import compile_po, mo_name

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
        "directories.toml",
        "places.csv",
        "hsds_mapping.toml",
    ):
        assert f"groupfinder/data/{name}" in names
    with zipfile.ZipFile(wheel) as archive:
        for language in ("nl", "fr", "en"):
            folder = f"groupfinder/locale/{language}/LC_MESSAGES"
            po = archive.read(f"{folder}/groupfinder.po")
            # Compiled by hatch_build.py, named after this very .po, and nothing stale.
            assert [n for n in names if n.startswith(folder) and n.endswith(".mo")] == [
                f"{folder}/{mo_name(po)}"
            ]
            assert archive.read(f"{folder}/{mo_name(po)}") == compile_po(po, language)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        # The versions make test runs with (make lock), not whatever is newest today.
        "--constraint",
        str(ROOT / "constraints.txt"),
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

    # The installed app reads the .mo files: with Babel's .po reader out of reach it still
    # speaks Dutch and French (compiling a .po at start-up would need that reader).
    uses_mo = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sys; sys.modules['babel.messages.pofile'] = None\n"
            "from groupfinder.domain.i18n import tr\n"
            "for lang in ('nl', 'fr'):\n"
            "    print(tr(lang, 'A {format}: {match}% match for what you are looking for',"
            " format='X', match=90))",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert uses_mo.returncode == 0, uses_mo.stderr
    dutch, french = uses_mo.stdout.splitlines()
    assert dutch.startswith("Soort groep: X (90% match")
    assert french.startswith("Type de groupe : X (90 % de correspondance")

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
