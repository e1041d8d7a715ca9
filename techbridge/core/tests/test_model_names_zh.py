"""Every model of the platform has a Chinese name: the console's activity feed, the admin and error
messages name records by it ("fund call #1" showed on the console home before)."""

from __future__ import annotations

import re

from django.apps import apps
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_model_is_named_in_chinese():
    untranslated = []
    with translation.override("zh-hans"):
        for model in apps.get_models():
            if not model.__module__.startswith("techbridge."):
                continue
            for name in (model._meta.verbose_name, model._meta.verbose_name_plural):
                if not CJK.search(str(name)):
                    untranslated.append(f"{model._meta.label}: {name}")
    assert untranslated == []
