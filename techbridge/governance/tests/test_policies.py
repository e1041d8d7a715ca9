"""The policy library: real policies seeded, searchable in Chinese, and "which policies apply to me" with
the reason per condition."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from techbridge.governance.choices import PolicyStatus, Verdict
from techbridge.governance.models import Policy
from techbridge.governance.policy_match import matches_for, org_with_zone
from techbridge.governance.services import policies as services
from techbridge.taxonomy.models import IndustryField

pytestmark = pytest.mark.django_db


def test_the_seed_library_holds_the_policies_the_plan_cites(policies):
    law = Policy.objects.get(title="中华人民共和国促进科技成果转化法")
    assert (law.issuer, law.issued_on, law.effective_from) == (
        "全国人民代表大会常务委员会",
        dt.date(2015, 8, 29),
        dt.date(2015, 10, 1),
    )
    assert Policy.objects.get(document_number="国办发〔2016〕28号").issued_on == dt.date(2016, 4, 21)
    assert Policy.objects.get(document_number="苏政办发〔2016〕76号").level == "provincial"
    assert Policy.objects.filter(status=PolicyStatus.PUBLISHED).count() == 12
    assert services.load_policies() == (0, 12)  # idempotent


def test_search_in_chinese(policies, client):
    page = client.get(reverse("governance:policies"), {"q": "孵化器 房产税"}).content.decode()
    assert "科技企业孵化器 大学科技园和众创空间税收政策" in page and "促进科技成果转化法" not in page
    hits = client.get("/api/v1/governance/policies/", {"q": "技术合同认定登记"}).json()
    assert hits["results"][0]["document_number"] == "国科发政字〔2000〕063号"
    national = client.get("/api/v1/governance/policies/", {"level": "provincial"}).json()
    assert [p["document_number"] for p in national["results"]] == ["苏政办发〔2016〕76号"]


def test_which_policies_apply_to_a_university_and_an_enterprise(policies, cast, client):
    by_title = {
        m.policy.title: m for m in matches_for(org_with_zone(cast.university.pk), Policy.objects.all())
    }
    rules = by_title["国务院关于印发实施《中华人民共和国促进科技成果转化法》若干规定的通知"]
    assert rules.verdict == Verdict.MET and rules.checks[0].actual == "高等院校"
    assert by_title["高新技术企业认定管理办法"].verdict == Verdict.NOT_MET
    assert by_title["中华人民共和国促进科技成果转化法"].verdict == Verdict.MET  # no condition: everyone
    assert by_title["南京市促进科技成果转移转化行动方案"].verdict == Verdict.MET  # 鼓楼区 is in Nanjing

    client.force_login(cast.buyer)
    page = client.get(reverse("governance:mine")).content.decode()
    sme = page.split("科技型中小企业评价办法")[1].split("</section>")[0]
    assert 'data-verdict="unknown"' in sme  # size not declared yet
    client.post(
        reverse("governance:mine"),
        {
            "size": "small",
            "designations": ["high_tech"],
            "industry_fields": [IndustryField.objects.first().pk],
        },
    )
    page = client.get(reverse("governance:mine")).content.decode()
    sme = page.split("科技型中小企业评价办法")[1].split("</section>")[0]
    assert 'data-verdict="met"' in sme and 'data-check="size"' in sme
    incubators = page.split("孵化器 大学科技园和众创空间税收政策")[1].split("</section>")[0]
    assert 'data-verdict="not_met"' in incubators  # declared designations do not include an incubator
    api = client.get("/api/v1/governance/policies/applicable/").json()
    verdicts = {m["policy"]["title"]: m["verdict"] for m in api}
    assert verdicts["科技型中小企业评价办法"] == "met" and verdicts["高新技术企业认定管理办法"] == "met"
    expired = next(m for m in api if m["policy"]["document_number"] == "财税〔2018〕120号")
    assert expired["in_force"] is False


def test_operators_edit_conditions_and_publishing_controls_visibility(
    cast, client, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        services.create_policy(actor=cast.official, title="x", level="district", issuer="x", summary="x")
    with pytest.raises(ValidationError):
        services.create_policy(
            actor=cast.operator,
            title="区级测试政策",
            level="district",
            issuer="某区人民政府",
            summary="测试",
            conditions=[{"kind": "org_kind", "values": ["spaceship"]}],
        )
    with django_capture_on_commit_callbacks(execute=True):
        policy = services.create_policy(
            actor=cast.operator,
            title="区级测试政策",
            level="district",
            issuer="某区人民政府",
            summary="测试用的区级措施",
            conditions=[{"kind": "location", "values": ["qixia"], "note": "注册在栖霞区"}],
        )
    assert client.get(reverse("governance:policy", args=[policy.pk])).status_code == 404  # a draft
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_policy(policy, actor=cast.operator)
    client.force_login(cast.stranger)  # 另一大学 is in 栖霞区
    page = client.get(reverse("governance:policy", args=[policy.pk])).content.decode()
    assert 'data-verdict="met"' in page and "注册在栖霞区" in page
    client.force_login(cast.researcher)  # 示范大学 is in 鼓楼区
    page = client.get(reverse("governance:policy", args=[policy.pk])).content.decode()
    assert 'data-verdict="not_met"' in page
    assert "区级测试政策" in client.get(reverse("governance:policies"), {"q": "区级测试"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_policy(policy, actor=cast.operator)
    assert (
        "区级测试政策" not in client.get(reverse("governance:policies"), {"q": "区级测试"}).content.decode()
    )
