"""Early warning: an enterprise registers a product in its own words; an import of new patents raises
an alert with the overlap explained (once per pair); the enterprise decides, asks for analysis, and
sees lapsed and expiring patents of its fields as opportunities."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from techbridge.imports.readers import read_rows
from techbridge.ipservices import warning
from techbridge.ipservices.importers import PatentRegisterImporter
from techbridge.ipservices.models import AnalysisRequest, Patent, PatentAlert, WatchedProduct
from techbridge.ipservices.services import warning as services
from techbridge.testing.factories.ipservices import DRONE_BOX, PatentFactory, sample_records

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_corpus():
    from techbridge.matching import corpus

    corpus.forget(warning.CORPUS)
    yield
    corpus.forget(warning.CORPUS)


def import_sample(tmp_path, rows=None):
    path = tmp_path / "export.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (rows or sample_records())), encoding="utf-8"
    )
    return PatentRegisterImporter(source="national", file_name=path.name).run(read_rows(path))


def test_an_import_raises_one_alert_with_the_overlap_explained(
    cast, tmp_path, django_capture_on_commit_callbacks
):
    product = services.register_product(actor=cast.buyer, values=DRONE_BOX)
    with django_capture_on_commit_callbacks(execute=True):
        import_sample(tmp_path)
    alert = PatentAlert.objects.get(patent__application_number="CN202223220665.2")
    assert alert.product == product and alert.organization == cast.enterprise and alert.status == "new"
    assert alert.score >= warning.ALERT_THRESHOLD and alert.similarity is not None
    assert {"无人机", "cpu"} <= set(alert.shared_terms)  # tokens are lower-cased; pages mark any case
    assert alert.claim_sentences and all(s["terms"] for s in alert.claim_sentences)
    assert any("无人机" in s["text"] for s in alert.claim_sentences)
    # Patents far from the product raise nothing.
    assert not PatentAlert.objects.filter(patent__title__contains="检测").exists()
    # The enterprise's members are told.
    assert cast.buyer.notifications.filter(kind="ipservices_alert").count() == PatentAlert.objects.count()

    # Once per (product, patent): checking again, or re-importing, raises nothing new.
    count = PatentAlert.objects.count()
    assert services.check_patents(Patent.objects.values_list("pk", flat=True)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        import_sample(tmp_path)
    assert PatentAlert.objects.count() == count


def test_the_alert_page_highlights_terms_and_claims_for_its_organisation_only(
    client, cast, tmp_path, django_capture_on_commit_callbacks
):
    services.register_product(actor=cast.buyer, values=DRONE_BOX)
    with django_capture_on_commit_callbacks(execute=True):
        import_sample(tmp_path)
    alert = PatentAlert.objects.get(patent__application_number="CN202223220665.2")
    client.force_login(cast.buyer)
    page = client.get(reverse("ipservices:alert", args=[alert.pk])).content.decode()
    assert "<mark" in page and 'data-testid="claim-sentence"' in page and "无人机挂载数据盒" in page
    for other in (cast.researcher, cast.broker, cast.stranger):
        client.force_login(other)
        assert client.get(reverse("ipservices:alert", args=[alert.pk])).status_code in (403, 404)


def test_lapsed_patents_raise_no_alert_but_are_opportunities(client, cast):
    services.register_product(actor=cast.buyer, values=DRONE_BOX)
    lapsed = PatentFactory(
        title="一种无人机机载多功能数据盒",
        abstract="无人机挂载的数据盒，内置CPU模块和4G/5G通信模块，带扩展接口，数据实时上传云服务器，具有减震结构。",
        legal_status="lapsed",
        status_date=dt.date(2024, 5, 1),
        ipc_codes="B64U 20/80",
    )
    expiring = PatentFactory(
        kind="utility_model",
        title="一种无人机云台",
        filing_date=dt.date.today().replace(year=dt.date.today().year - 10) + dt.timedelta(days=60),
        ipc_codes="B64U 20/87",
    )
    PatentFactory(title="一种无人机机翼", ipc_codes="B64C 3/00")  # another field, far from expiry
    assert services.check_patents([lapsed.pk]) == 0
    client.force_login(cast.buyer)
    page = client.get(reverse("ipservices:opportunities")).content.decode()
    assert lapsed.title in page and expiring.title in page and "一种无人机机翼" not in page


def test_decisions_and_an_analysis_request_answered_by_the_provider(
    client, cast, provider, tmp_path, django_capture_on_commit_callbacks
):
    services.register_product(actor=cast.buyer, values=DRONE_BOX)
    with django_capture_on_commit_callbacks(execute=True):
        import_sample(tmp_path)
    alert = PatentAlert.objects.get(patent__application_number="CN202223220665.2")
    client.force_login(cast.buyer)
    client.post(reverse("ipservices:alert_decide", args=[alert.pk]), {"decision": "watch", "note": "关注"})
    alert.refresh_from_db()
    assert alert.status == "watching" and alert.decided_by == cast.buyer

    response = client.post(
        reverse("ipservices:alert_analysis", args=[alert.pk]),
        {"provider": provider.pk, "question": "我们的数据盒是否落入该专利权利要求1？"},
    )
    req = AnalysisRequest.objects.get()
    assert response["Location"] == reverse("ipservices:analysis", args=[req.pk])
    alert.refresh_from_db()
    assert alert.status == "analysis" and req.provider == provider and req.patent == alert.patent
    assert cast.broker.notifications.filter(kind="ipservices_analysis").exists()

    # A second request for the same alert is refused (the alert has moved on).
    client.post(
        reverse("ipservices:alert_analysis", args=[alert.pk]), {"provider": provider.pk, "question": "再问"}
    )
    assert AnalysisRequest.objects.count() == 1

    # The requester cannot answer its own request; the provider's member accepts and answers.
    assert client.post(reverse("ipservices:analysis_act", args=[req.pk, "accept"])).status_code == 403
    client.force_login(cast.broker)
    client.post(reverse("ipservices:analysis_act", args=[req.pk, "accept"]))
    client.post(
        reverse("ipservices:analysis_act", args=[req.pk, "answer"]),
        {"answer": "经比对，贵司产品缺少插杆与插座结构，不落入权利要求1。"},
    )
    req.refresh_from_db()
    assert req.status == "answered" and req.answered_by == cast.broker
    client.force_login(cast.buyer)
    page = client.get(reverse("ipservices:analysis", args=[req.pk])).content.decode()
    assert "不落入权利要求1" in page
    client.force_login(cast.stranger)
    assert client.get(reverse("ipservices:analysis", args=[req.pk])).status_code == 404


def test_a_product_registered_later_scans_the_register_once(
    cast, tmp_path, django_capture_on_commit_callbacks
):
    import_sample(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        services.register_product(actor=cast.buyer, values=DRONE_BOX)
    assert PatentAlert.objects.filter(patent__application_number="CN202223220665.2").exists()


def test_only_enterprise_members_register_products(client, cast):
    for who in ("researcher", "broker", "official", "outsider"):
        client.force_login(getattr(cast, who))
        assert client.get(reverse("ipservices:warning")).status_code == 403
    with pytest.raises(Exception, match="enterprises"):
        services.register_product(actor=cast.researcher, values=DRONE_BOX)
    client.force_login(cast.buyer)
    response = client.post(reverse("ipservices:product_new"), {"name": "", "description": "x" * 2001})
    assert response.status_code == 200 and not WatchedProduct.objects.exists()
    response = client.post(reverse("ipservices:product_new"), {**DRONE_BOX, "ipc_codes": "不是分类号"})
    assert "is not an IPC code" in response.content.decode() and not WatchedProduct.objects.exists()


def test_a_paused_product_raises_no_alert(cast, tmp_path, django_capture_on_commit_callbacks):
    product = services.register_product(actor=cast.buyer, values=DRONE_BOX)
    services.set_product_watched(product, actor=cast.buyer, watched=False)
    with django_capture_on_commit_callbacks(execute=True):
        import_sample(tmp_path)
    assert not PatentAlert.objects.exists()


def test_api_products_alerts_and_decisions(cast, provider, tmp_path, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(cast.buyer)
    created = api.post(
        reverse("api:ip-product-list"),
        {
            "name": DRONE_BOX["name"],
            "description": DRONE_BOX["description"],
            "keywords": ["无人机", "数据盒"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    with django_capture_on_commit_callbacks(execute=True):
        import_sample(tmp_path)
    alerts = api.get(reverse("api:ip-alert-list"), {"status": "new"}).json()["results"]
    alert = next(a for a in alerts if a["patent"]["application_number"] == "CN202223220665.2")
    assert "无人机" in alert["shared_terms"] and alert["claim_sentences"]
    response = api.post(
        reverse("api:ip-alert-analysis", args=[alert["id"]]),
        {"provider": provider.pk, "question": "是否侵权？"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["status"] == "submitted"
    assert (
        api.post(
            reverse("api:ip-alert-decide", args=[alert["id"]]), {"decision": "watch"}, format="json"
        ).status_code
        == 400
    )
    api.force_authenticate(cast.researcher)
    assert api.get(reverse("api:ip-alert-list")).status_code == 403
