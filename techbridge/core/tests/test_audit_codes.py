"""Every audit code the code base writes is ``app.model.verb`` and has words in some app's label table.

Two nets, so neither a code on a path no test takes nor a code built at run time slips through:

- **the source**: every string literal that looks like an audit code (``<app label>.<word>.<word>``)
  must be registered; every literal handed to a writer (``audit.record``/``entry``, ``transition``,
  ``transition_many``, ``record_created``) must be one; every literal verb handed to ``audit.code``
  (codes built per model by shared services) must be registered for some model;
- **the run**: the suite runs with ``AUDIT_CODES_STRICT`` (root conftest), so writing any code without
  words fails the test that wrote it.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import override_settings

from techbridge.core import audit, registry
from techbridge.core.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]  # techbridge/
WRITERS = {"record", "entry", "transition", "transition_many", "record_created"}


def _source_files(root: Path) -> list[Path]:
    return [
        p
        for p in root.rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts and "testing" not in p.parts
    ]


def _app_labels() -> set[str]:
    return {c.label for c in apps.get_app_configs() if c.name.startswith("techbridge.")}


def _looks_like_code(value: str, labels: set[str]) -> bool:
    parts = value.split(".")
    return len(parts) == 3 and parts[0] in labels and all(p.isidentifier() and p.islower() for p in parts)


def _func_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return ""


def _action_arg(node: ast.Call) -> ast.expr | None:
    for kw in node.keywords:
        if kw.arg == "action":
            return kw.value
    name = _func_name(node)
    if name in {"record", "entry"} and len(node.args) > 1:
        return node.args[1]
    return None


def _literals(node: ast.expr) -> list[str]:
    """The string literals an action expression can evaluate to (both arms of ``a if c else b``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def scan(root: Path = ROOT) -> tuple[dict[str, list[str]], list[str], dict[str, list[str]]]:
    """(codes found → where, bad literals handed to writers, verbs of ``audit.code`` → where)."""
    labels = _app_labels()
    codes: dict[str, list[str]] = {}
    bad: list[str] = []
    verbs: dict[str, list[str]] = {}
    for path in _source_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(root.parent))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _looks_like_code(node.value, labels):
                    codes.setdefault(node.value, []).append(f"{where}:{node.lineno}")
            if not isinstance(node, ast.Call):
                continue
            name = _func_name(node)
            if name == "code" and len(node.args) == 2:
                for verb in _literals(node.args[1]):
                    verbs.setdefault(verb, []).append(f"{where}:{node.lineno}")
            if name in WRITERS:
                arg = _action_arg(node)
                for value in _literals(arg) if arg is not None else []:
                    if not _looks_like_code(value, labels):
                        bad.append(f"{where}:{node.lineno}: {value!r}")
    return codes, bad, verbs


def test_every_code_in_the_source_has_words():
    codes, bad, verbs = scan()
    assert len(codes) > 100, "the scan found too few codes: is it reading the source?"
    assert not bad, f"audit codes that are not app.model.verb: {bad}"
    known = registry.audit_codes()
    missing = {code: where for code, where in codes.items() if code not in known}
    assert not missing, f"audit codes without words (register them in extensions.py): {missing}"
    registered_verbs = {code.rsplit(".", 1)[1] for code in known}
    unlabelled = {verb: where for verb, where in verbs.items() if verb not in registered_verbs}
    assert not unlabelled, f"verbs of audit.code() no app registers words for: {unlabelled}"


def test_the_scan_catches_unregistered_and_undotted_codes(tmp_path):
    """The net has no hole: a new literal code without words, or a bare verb, is reported."""
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "services.py").write_text(
        "def f(obj, actor):\n"
        '    audit.record(obj, "core.probe.written", actor=actor)\n'
        '    transition(obj, "done", actor=actor, action="finish")\n'
        '    audit.record(obj, audit.code(obj, "probed"))\n',
        encoding="utf-8",
    )
    codes, bad, verbs = scan(tmp_path / "probe")
    assert "core.probe.written" in codes and "core.probe.written" not in registry.audit_codes()
    assert len(bad) == 1 and "'finish'" in bad[0]
    assert "probed" in verbs


@pytest.mark.django_db
def test_writing_a_code_without_words_fails_in_strict_mode(cast):
    target = cast.university
    with pytest.raises(audit.UnknownAuditCode):
        audit.record(target, "core.probe.written")
    with pytest.raises(audit.UnknownAuditCode):
        audit.record(target, "written")
    with override_settings(AUDIT_CODES_STRICT=False):
        audit.record(target, "core.probe.written")  # production shows the code rather than refuse the action
    assert AuditEntry.objects.filter(action="core.probe.written").count() == 1


@pytest.mark.django_db
def test_history_rows_give_words_for_actions_and_states(cast):
    from techbridge.organizations.choices import OrgStatus
    from techbridge.organizations.services import approve_organization, register_organization

    org = register_organization(name="审计测试单位", kind="enterprise", district="gulou")
    approve_organization(org, actor=cast.reviewer)
    rows = audit.history_rows(org)
    assert [r.entry.action for r in rows] == [
        "organizations.organization.approved",
        "organizations.organization.registered",
    ]
    assert (
        rows[0].action == registry.audit_label("organizations.organization.approved") != rows[0].entry.action
    )
    assert (rows[0].from_state, rows[0].to_state) == (
        str(OrgStatus.PENDING.label),
        str(OrgStatus.APPROVED.label),
    )
    assert rows[1].from_state == "" and rows[1].to_state == str(OrgStatus.PENDING.label)


# ---- the data migrations that renamed the codes of existing entries ----------------------------


def _rename_operations() -> list:
    import importlib
    import pkgutil

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("techbridge."):
            continue
        try:
            package = importlib.import_module(f"{config.name}.migrations")
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for op in getattr(getattr(module, "Migration", None), "operations", []):
                if hasattr(op, "renames"):
                    found.append((f"{config.label}.{info.name}", op))
    return found


def _installed(app_label: str, model: str) -> bool:
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return False
    return True


def test_every_code_a_migration_renames_to_has_words():
    """Old entries keep reading well: each code they were renamed to is registered.

    A model removed since (auctions' roadshows, now events) no longer holds entries: the migration that
    removed it carried them to codes of their new home, and its own app tests that those have words
    (``events/tests/test_roadshow_migration.py``).
    """
    operations = _rename_operations()
    assert len(operations) >= 10
    known = registry.audit_codes()
    missing = {
        new: name
        for name, op in operations
        for (app_label, model), codes in op.renames.items()
        if _installed(app_label, model)
        for new in codes.values()
        if new not in known
    }
    assert not missing, missing


@pytest.mark.django_db
def test_rename_migration_renames_per_model_and_back(org, make_listing):
    """``approve`` meant different things for an organisation and an achievement: each gets its own."""
    from django.contrib.contenttypes.models import ContentType

    listing = make_listing("published")
    old = [
        AuditEntry.objects.create(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), action="approve"
        )
        for obj in (org, listing)
    ]
    ops = dict(_rename_operations())
    ops["organizations.0005_rename_audit_codes"].code(apps, None)
    ops["achievements.0002_rename_audit_codes"].code(apps, None)
    assert [AuditEntry.objects.get(pk=e.pk).action for e in old] == [
        "organizations.organization.approved",
        "achievements.achievement.published",
    ]
    ops["organizations.0005_rename_audit_codes"].reverse_code(apps, None)
    assert [AuditEntry.objects.get(pk=e.pk).action for e in old] == [
        "approve",
        "achievements.achievement.published",
    ]


class _ExpertsInTalent:
    """The app registry as the backfill saw it, except that the expert pool now lives in talent
    (``valuation.0006`` moved the rows with their keys)."""

    def get_model(self, app_label: str, model_name: str) -> Any:
        if (app_label, model_name) == ("valuation", "Expert"):
            return apps.get_model("talent", "Expert")
        return apps.get_model(app_label, model_name)


@pytest.mark.django_db
def test_valuation_backfills_replaced_experts_from_old_entries(actor, make_user, make_listing):
    """Requests whose experts were replaced before the field existed remember them after the migration."""
    import importlib

    from django.contrib.contenttypes.models import ContentType

    from techbridge.talent.models import Expert
    from techbridge.valuation.models import ValuationRequest

    achievement = make_listing("published")
    req = ValuationRequest.objects.create(
        achievement=achievement, requested_by=actor, requester_kind="owner", purpose="transfer"
    )
    expert = Expert.objects.create(user=make_user("valuation_expert"))
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(req),
        object_id=str(req.pk),
        action="replace_expert",
        data={"removed": expert.pk, "added": None},
    )
    module = importlib.import_module("techbridge.valuation.migrations.0004_add_replaced_experts")
    module.backfill(_ExpertsInTalent(), None)
    assert list(req.replaced_experts.all()) == [expert]
