"""Every status of every state machine reads as reviewed Chinese (issue 22, point 2).

Short English words ("Open", "Registered") are translated once per msgid across all the apps' catalogues, so
the first app to translate one decides it for everybody unless a ``pgettext`` context separates the meanings:
that is how a deal room came to be "查看" (the button) and a registered contract "注册" (signing up). The
reviewed table ``status_labels_zh.json`` holds what each status must read; a new state machine or a changed
label fails here until the table is reviewed and updated by hand.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.apps import apps
from django.utils import translation
from django.utils.encoding import force_str

TABLE = json.loads((Path(__file__).parent / "status_labels_zh.json").read_text(encoding="utf-8"))


def status_fields() -> dict[str, Any]:
    found = {}
    for model in apps.get_models():
        if not model.__module__.startswith("techbridge."):
            continue
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) and field.name.endswith(("status", "state")):
                found[f"{model._meta.app_label}.{model.__name__}.{field.name}"] = field
    return found


def rendered(field: Any, language: str) -> dict[str, str]:
    with translation.override(language):
        return {str(value): force_str(label) for value, label in field.flatchoices}


def test_every_status_field_is_in_the_reviewed_table():
    assert sorted(status_fields()) == sorted(TABLE)


def test_every_status_renders_in_chinese_as_reviewed():
    wrong = {}
    for key, field in status_fields().items():
        zh = rendered(field, "zh-hans")
        if zh != TABLE.get(key):
            wrong[key] = zh
    assert wrong == {}


def test_statuses_render_through_the_model_display_method_too():
    from techbridge.contracts.models import Contract
    from techbridge.deals.models import Room

    with translation.override("zh-hans"):
        assert Room(status="open").get_status_display() == "洽谈中"
        assert Contract(status="registered").get_status_display() == "已认定登记"


def test_no_two_statuses_of_one_field_read_the_same():
    for key, field in status_fields().items():
        zh = rendered(field, "zh-hans")
        assert len(set(zh.values())) == len(zh), (key, zh)


def test_different_statuses_of_one_app_do_not_collapse_to_one_chinese_word():
    """Within an app, two statuses that mean different things (different English) read differently."""
    by_app: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for key, field in status_fields().items():
        en, zh = rendered(field, "en"), rendered(field, "zh-hans")
        for value, chinese in zh.items():
            by_app[key.split(".")[0]][chinese].add(en[value])
    collapsed = {
        (app, chinese): sorted(english)
        for app, words in by_app.items()
        for chinese, english in words.items()
        if len(english) > 1
    }
    assert collapsed == {}


def test_no_status_shows_untranslated_english():
    for key, field in status_fields().items():
        for value, label in rendered(field, "zh-hans").items():
            assert not label.isascii(), (key, value, label)
