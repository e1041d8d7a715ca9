"""Issue 20 point 12: right-to-left overrides and zero-width characters were kept in titles, so a title
could read differently from what it says. They are stripped; a title of nothing else is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from techbridge.achievements import services as achievement_services
from techbridge.contracts import services as contract_services
from techbridge.lib.text import strip_invisible

pytestmark = pytest.mark.django_db

RLO, ZWSP, BOM = "\u202e", "\u200b", "\ufeff"


def _data(title: str) -> dict:
    return {"title": title, "kind": "invention_patent", "trl": 5, "summary": "简介", "price_negotiable": True}


def test_strip_invisible_removes_bidi_controls_and_zero_width_characters():
    assert strip_invisible(f"{BOM}锂电池{ZWSP}隔膜{RLO}fdp.exe\u202c ") == "锂电池隔膜fdp.exe"
    assert strip_invisible("普通标题") == "普通标题"


def test_a_listing_title_loses_its_invisible_characters_on_create_and_edit(cast):
    achievement = achievement_services.create_achievement(
        actor=cast.researcher, data=_data(f"隔膜{RLO}技术{ZWSP}")
    )
    assert achievement.title == "隔膜技术"
    achievement_services.update_achievement(
        achievement, actor=cast.researcher, data={"title": f"{ZWSP}新{RLO}标题"}
    )
    achievement.refresh_from_db()
    assert achievement.title == "新标题"


def test_a_title_of_only_invisible_characters_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        achievement_services.create_achievement(actor=cast.researcher, data=_data(RLO + ZWSP))
    assert "title" in exc.value.message_dict


def test_a_contract_title_loses_its_invisible_characters(cast):
    contract = contract_services.create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title=f"技术{RLO}转让{ZWSP}合同",
        amount=Decimal("1000"),
        deal_mode="assignment",
    )
    assert contract.title == "技术转让合同"
    contract_services.update_draft(contract, actor=cast.buyer, data={"title": f"{BOM}改名{RLO}"})
    contract.refresh_from_db()
    assert contract.title == "改名"
