"""The demo register: loaded from the repository's data/ only, marked as demo, idempotent."""

from __future__ import annotations

import pytest

from techbridge.ipservices import demo
from techbridge.ipservices.models import Industry, Patent

pytestmark = pytest.mark.django_db


def test_demo_register_and_bases_load_from_data_and_are_idempotent():
    reports = demo.load(limit=30)
    assert [len(r.refused) for _name, r in reports] == [0, 0]
    assert Patent.objects.count() == 40 and not Patent.objects.filter(is_demo=False).exists()
    titled = Patent.objects.exclude(publication_number="").filter(application_number__isnull=True).first()
    assert titled.legal_status_text.startswith("演示数据") and titled.filing_date is None
    assert set(Industry.objects.values_list("name", flat=True)) == {
        "智能电网",
        "软件",
        "生物医药",
        "物联网与未来网络",
    }
    assert all(i.membership_current for i in Industry.objects.all())
    again = demo.load(limit=30)
    assert [r.created for _name, r in again] == [0, 0] and Patent.objects.count() == 40
