"""The floors of docs/architecture.md are a contract (``.importlinter``) that ``make lint`` checks.

These tests prove the contract bites: a copy of the code with one import running back up a floor fails
it, with a message naming the two apps; the real code keeps it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

REPO = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(REPO / ".importlinter"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy_code(dest: Path) -> None:
    shutil.copytree(
        REPO / "techbridge",
        dest / "techbridge",
        ignore=lambda _dir, names: [
            n for n in names if n in ("locale", "templates", "__pycache__", "static")
        ],
    )


def test_an_import_back_up_a_floor_breaks_the_contract(tmp_path):
    _copy_code(tmp_path)
    probe = tmp_path / "techbridge" / "core" / "layering_probe.py"
    probe.write_text(
        "from techbridge.achievements.models import Achievement  # a lower floor naming an upper one\n"
    )

    result = _lint(tmp_path)

    assert result.returncode != 0
    assert "techbridge.core is not allowed to import techbridge.achievements" in result.stdout
    assert "techbridge.core.layering_probe -> techbridge.achievements.models" in result.stdout


def test_runtime_code_may_not_use_the_test_factories(tmp_path):
    _copy_code(tmp_path)
    probe = tmp_path / "techbridge" / "deals" / "layering_probe.py"
    probe.write_text("from techbridge.testing.factories import AchievementFactory\n")

    result = _lint(tmp_path)

    assert result.returncode != 0
    assert "techbridge.deals is not allowed to import techbridge.testing" in result.stdout


def test_the_code_keeps_the_contract():
    result = _lint(REPO)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
