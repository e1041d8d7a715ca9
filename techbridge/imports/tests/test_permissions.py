"""Who imports (``imports.permissions``): a kind of record may name who imports it, and the console,
the API and the services ask the same helper (``ImportKind.may_import`` used to be ignored)."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from techbridge.core.roles import is_staff_reviewer
from techbridge.imports import batches, registry
from techbridge.imports.permissions import can_import
from techbridge.imports.tests.access import NS

pytestmark = pytest.mark.django_db


def test_the_listing_kinds_are_the_operators(client, cast):
    assert can_import(cast.operator, "achievements")
    assert not can_import(cast.reviewer)
    client.force_login(cast.reviewer)
    assert client.get(reverse(f"{NS}:list")).status_code == 403


def test_a_kind_that_names_its_importers_opens_the_console_to_them(client, cast, monkeypatch):
    kind = registry.import_kind("demands")
    monkeypatch.setitem(registry._kinds, "demands", dataclasses.replace(kind, may_import=is_staff_reviewer))
    client.force_login(cast.reviewer)

    assert can_import(cast.reviewer, "demands")
    assert not can_import(cast.reviewer, "achievements")
    assert client.get(reverse(f"{NS}:list")).status_code == 200
    upload = SimpleUploadedFile("成果.csv", "名称\n".encode())
    with pytest.raises(PermissionDenied):
        batches.start_upload(upload, kind="achievements", source="manual", publish=False, actor=cast.reviewer)
