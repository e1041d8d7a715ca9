"""The demo loaders: demo institutions (tagged) built from the demo service organisations, scored from
records; nothing invented that would move the plan's figures."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse

from techbridge.institutions.models import Designation, Institution, QuarterlyScore
from techbridge.talent.models import Certificate, TalentEntry, TechnologyManager, TrainingSession


def test_demo_loaders_are_idempotent_tagged_and_invent_no_figures(db, client):
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    for _ in range(2):
        call_command("load_demo_institutions", stdout=out)
        call_command("load_demo_talent", stdout=out)
    institutions = list(Institution.objects.select_related("organization"))
    assert len(institutions) == 5 and all(i.is_demo and i.organization.is_demo for i in institutions)
    assert "示例技术转移服务中心" in {i.name for i in institutions}
    assert QuarterlyScore.objects.count() == 5  # the second run found nothing changed
    # The demo designation is municipal: the plan counts provincial level or above, so no figure moves.
    designation = Designation.objects.get()
    assert designation.level == "municipal" and designation.institution.is_demo
    assert designation.status == "verified"
    assert not Certificate.objects.exists() and not TalentEntry.objects.exists()
    assert TechnologyManager.objects.get().is_demo and TrainingSession.objects.count() == 1
    html = client.get(reverse("institutions:directory")).content.decode()
    assert html.count('class="tag demo"') >= 5
