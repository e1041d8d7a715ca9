"""Achievement packages (科技成果包): automatic proposals from embeddings, staff editing, the state
machine, promotion to matched enterprises, pages and API per role."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from techbridge.core.models import AuditEntry, Notification
from techbridge.core.roles import Role
from techbridge.core.workflow import TransitionError
from techbridge.mining import packages, services
from techbridge.mining.models import AchievementPackage, PackagePromotion
from techbridge.testing.factories import AchievementFactory, DemandFactory, publish
from techbridge.testing.factories.accounts import UserFactory
from techbridge.testing.factories.mining import clustered_vectors, store_vectors
from techbridge.testing.factories.organizations import OrganizationFactory

pytestmark = pytest.mark.django_db

THEMES = [
    ("锂电池隔膜", "锂电池,隔膜"),
    ("污水污泥处理", "污水,污泥"),
    ("北斗定位终端", "北斗,定位"),
]


@pytest.fixture
def catalogue(cast):
    """Nine published achievements in three themes, with vectors in three tight clusters."""
    out = []
    for theme, kw in THEMES:
        for i in range(3):
            a = AchievementFactory(
                owner=cast.university, title=f"{theme}技术{i}", keywords=kw, summary=f"{theme}相关成果{i}"
            )
            publish(a)
            out.append(a)
    store_vectors(out, clustered_vectors(3, 3))
    return out


@pytest.fixture
def package(cast, catalogue):
    return services.create_package(actor=cast.reviewer, title="锂电池成果包", achievements=catalogue[:3])


# ---- the grouping --------------------------------------------------------------------------------


def test_propose_groups_recovers_clusters_and_names_them_by_key_terms():
    vectors = clustered_vectors(3, 4)
    names = ["锂电池", "污水", "北斗"]
    tokens = [[names[i // 4], f"词{i}"] for i in range(12)]
    texts = [" ".join(t) for t in tokens]
    groups = packages.propose_groups(vectors, texts, tokens, k=3, min_size=3)
    assert sorted(len(g.members) for g in groups) == [4, 4, 4]
    for g in groups:
        theme = {i // 4 for i in g.members}
        assert len(theme) == 1 and g.terms[0] == names[theme.pop()]
        assert g.cohesion > 0.5


@pytest.mark.parametrize("method", packages.METHODS)
def test_every_method_separates_well_separated_clusters(method):
    vectors = clustered_vectors(4, 30, seed=3)
    truth = [i // 30 for i in range(120)]
    pred = packages.cluster(vectors, ["x"] * 120, 4, method=method)
    assert packages.scores(truth, pred)["nmi"] > 0.95


def test_size_floor_drops_small_groups():
    vectors = np.vstack([clustered_vectors(1, 6, seed=1), clustered_vectors(1, 2, seed=2)])
    tokens = [["甲"]] * 8
    groups = packages.propose_groups(vectors, ["甲"] * 8, tokens, k=2, method="kmeans", min_size=3)
    assert [len(g.members) for g in groups] == [6]


def test_c_tf_idf_prefers_terms_distinctive_of_the_group():
    terms = packages.c_tf_idf_terms(
        [[["技术", "锂电池"], ["技术", "锂电池"]], [["技术", "污水"], ["技术", "污水"]]], top=1
    )
    assert terms == [["锂电池"], ["污水"]]


# ---- proposals -----------------------------------------------------------------------------------


def test_generate_proposes_one_draft_per_theme_and_replaces_unedited_ones(cast, catalogue):
    created = services.generate_packages(actor=cast.operator, k=3, min_size=3)
    assert len(created) == 3
    members = sorted(sorted(p.achievements.values_list("pk", flat=True)) for p in created)
    assert members == [sorted(a.pk for a in catalogue[i : i + 3]) for i in (0, 3, 6)]
    first = created[0]
    assert first.is_automatic and first.status == "draft" and first.key_terms
    assert first.proposal_info["method"] == packages.DEFAULT_METHOD
    # Staff edit one proposal: a new run replaces the others, not the edited one.
    services.update_package(first, actor=cast.reviewer, title="编辑过的成果包")
    again = services.generate_packages(actor=cast.operator, k=3, min_size=3)
    assert AchievementPackage.objects.count() == 4
    assert AchievementPackage.objects.filter(pk=first.pk).exists()
    assert len(again) == 3
    assert AuditEntry.objects.filter(action="mining.package.replaced").count() == 2


def test_generate_needs_vectors_and_staff(cast):
    a = AchievementFactory(owner=cast.university)
    publish(a)
    assert services.generate_packages(actor=cast.operator) == []
    with pytest.raises(PermissionDenied):
        services.generate_packages(actor=cast.researcher)


def test_console_generate_makes_proposals(cast, client, catalogue):
    client.force_login(cast.reviewer)
    response = client.post(
        reverse("mining_console:package_generate"), {"method": "kmeans-hybrid", "k": 3, "min_size": 3}
    )
    assert response.status_code == 302
    assert AchievementPackage.objects.filter(is_automatic=True).count() == 3


# ---- state machine and editing -------------------------------------------------------------------


def test_publish_archive_restore_are_audited_moves(cast, package):
    services.publish_package(package, actor=cast.reviewer)
    assert package.status == "published" and package.published_at
    with pytest.raises(TransitionError):
        services.publish_package(package, actor=cast.reviewer)
    services.archive_package(package, actor=cast.operator)
    services.restore_package(package, actor=cast.operator)
    assert AchievementPackage.objects.get(pk=package.pk).status == "draft"
    actions = list(AuditEntry.objects.filter(object_id=str(package.pk)).values_list("action", flat=True))
    assert {
        "mining.package.created",
        "mining.package.published",
        "mining.package.archived",
        "mining.package.restored",
    } <= set(actions)


def test_an_empty_package_cannot_be_published(cast):
    empty = services.create_package(actor=cast.reviewer, title="空包")
    with pytest.raises(ValidationError):
        services.publish_package(empty, actor=cast.reviewer)
    assert AchievementPackage.objects.get(pk=empty.pk).status == "draft"


def test_only_published_achievements_join_and_nothing_is_half_written(cast, package):
    draft = AchievementFactory(owner=cast.university)
    with pytest.raises(ValidationError):
        services.update_package(package, actor=cast.reviewer, title="新标题", add=[draft.pk])
    package.refresh_from_db()
    assert package.title == "锂电池成果包"  # the whole edit was rolled back
    assert draft.pk not in set(package.achievements.values_list("pk", flat=True))


def test_console_edit_add_and_remove_members(cast, client, package, catalogue):
    client.force_login(cast.operator)
    url = reverse("mining_console:package_edit", args=[package.pk])
    assert (
        client.post(url, {"action": "add", "add": f"{catalogue[5].pk}, {catalogue[6].pk}"}).status_code == 302
    )
    assert client.post(url, {"action": "remove", "achievement": catalogue[0].pk}).status_code == 302
    assert (
        client.post(
            url, {"action": "save", "title": "新名称", "summary": "说明", "key_terms": "锂电池、隔膜"}
        ).status_code
        == 302
    )
    package.refresh_from_db()
    assert package.title == "新名称" and package.key_terms == ["锂电池", "隔膜"]
    assert set(package.achievements.values_list("pk", flat=True)) == {
        catalogue[1].pk, catalogue[2].pk, catalogue[5].pk, catalogue[6].pk
    }  # fmt: skip
    bad = client.post(url, {"action": "add", "add": "abc"})
    assert bad.status_code == 400


@pytest.mark.parametrize("who", ["researcher", "buyer", "broker", "official", "outsider"])
def test_console_is_for_reviewers_and_operators(cast, client, package, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("mining_console:packages")).status_code == 403
    assert client.get(reverse("mining_console:package_edit", args=[package.pk])).status_code == 403
    assert (
        client.post(
            reverse("mining_console:package_state", args=[package.pk]), {"action": "publish"}
        ).status_code
        == 403
    )
    assert AchievementPackage.objects.get(pk=package.pk).status == "draft"


# ---- portal --------------------------------------------------------------------------------------


def test_portal_shows_published_packages_only(cast, client, catalogue, package, pinned_queries):
    other = services.create_package(
        actor=cast.reviewer, title="草稿包", achievements=[package.achievements.first()]
    )
    services.publish_package(package, actor=cast.reviewer)
    for title, members in (("污水处理成果包", catalogue[3:6]), ("北斗成果包", catalogue[6:])):
        services.publish_package(
            services.create_package(actor=cast.reviewer, title=title, achievements=members),
            actor=cast.reviewer,
        )
    with pinned_queries("packages"):
        response = client.get(reverse("mining:packages"))
    html = response.content.decode()
    assert all(t in html for t in ("锂电池成果包", "污水处理成果包", "北斗成果包")) and "草稿包" not in html
    assert client.get(reverse("mining:package_detail", args=[other.pk])).status_code == 404
    detail = client.get(reverse("mining:package_detail", args=[package.pk]))
    assert detail.status_code == 200 and "锂电池隔膜技术0" in detail.content.decode()


def test_list_query_count_does_not_grow_with_packages(cast, client, catalogue, pinned_queries):
    for i in range(6):
        p = services.create_package(actor=cast.reviewer, title=f"成果包{i}", achievements=catalogue[:3])
        services.publish_package(p, actor=cast.reviewer)
    with pinned_queries("packages"):
        html = client.get(reverse("mining:packages")).content.decode()
    assert all(f"成果包{i}" in html for i in range(6))


def test_staff_see_a_draft_page(cast, client, package):
    client.force_login(cast.reviewer)
    html = client.get(reverse("mining:package_detail", args=[package.pk])).content.decode()
    assert "锂电池成果包" in html and str(package.get_status_display()) in html  # marked as not published
    assert all(a.title in html for a in package.achievements.all())


def test_achievement_page_lists_its_published_packages(cast, client, package):
    services.publish_package(package, actor=cast.reviewer)
    member = package.achievements.first()
    html = client.get(reverse("achievements:detail", args=[member.pk])).content.decode()
    assert reverse("mining:package_detail", args=[package.pk]) in html


# ---- promotion (推介) -------------------------------------------------------------------------


@pytest.fixture
def matched(cast, monkeypatch):
    """Matching says the buyer's enterprise (via its demand) and a second enterprise fit every member."""
    demand = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, published=True)
    second = OrganizationFactory(name="第二企业", with_credit_code=True)
    boss = UserFactory(username="boss2", organization=second, role=Role.ORG_ADMIN)

    def fake(achievement, user):
        return [
            SimpleNamespace(organization=cast.enterprise, score=0.9, demands=[SimpleNamespace(obj=demand)]),
            SimpleNamespace(organization=second, score=0.5, demands=[]),
        ]

    monkeypatch.setattr(services, "enterprise_matches", fake)
    return SimpleNamespace(demand=demand, second=second, boss=boss)


def test_promotion_tells_each_matched_enterprise_once(cast, package, matched):
    with pytest.raises(ValidationError):
        services.promote_package(package, actor=cast.reviewer)  # a draft is not promoted
    services.publish_package(package, actor=cast.reviewer)
    counts = services.promote_package(package, actor=cast.reviewer)
    assert counts == {"enterprises": 2, "already": 0, "people": 2}
    assert Notification.objects.filter(recipient=cast.buyer, kind="package_promoted").count() == 1
    assert Notification.objects.filter(recipient=matched.boss, kind="package_promoted").count() == 1
    again = services.promote_package(package, actor=cast.operator)
    assert again == {"enterprises": 0, "already": 2, "people": 0}
    assert Notification.objects.filter(kind="package_promoted").count() == 2
    assert PackagePromotion.objects.filter(package=package).count() == 2


def test_console_promote_button(cast, client, package, matched):
    services.publish_package(package, actor=cast.reviewer)
    client.force_login(cast.operator)
    response = client.post(reverse("mining_console:package_promote", args=[package.pk]))
    assert response.status_code == 302
    assert PackagePromotion.objects.count() == 2
    client.force_login(cast.buyer)
    assert client.post(reverse("mining_console:package_promote", args=[package.pk])).status_code == 403


# ---- API -----------------------------------------------------------------------------------------


def test_api_lists_published_packages_publicly(cast, client, catalogue, package, pinned_queries):
    services.create_package(actor=cast.reviewer, title="草稿包")
    services.publish_package(package, actor=cast.reviewer)
    for title, members in (("污水处理成果包", catalogue[3:6]), ("北斗成果包", catalogue[6:])):
        services.publish_package(
            services.create_package(actor=cast.reviewer, title=title, achievements=members),
            actor=cast.reviewer,
        )
    with pinned_queries("packages"):
        response = client.get(reverse("api:mining-package-list"))
    assert sorted(p["title"] for p in response.json()["results"]) == [
        "北斗成果包",
        "污水处理成果包",
        "锂电池成果包",
    ]
    detail = client.get(reverse("api:mining-package-detail", args=[package.pk])).json()
    assert len(detail["members"]) == 3 and detail["member_count"] == 3


def test_api_staff_create_update_publish_promote(cast, client, catalogue, matched):
    client.force_login(cast.reviewer)
    created = client.post(
        reverse("api:mining-package-list"),
        {"title": "API成果包", "achievements": [catalogue[0].pk, catalogue[1].pk]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = client.patch(
        reverse("api:mining-package-detail", args=[pk]),
        {"summary": "一组锂电池成果", "add": [catalogue[2].pk], "field": "materials"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["member_count"] == 3
    published = client.post(reverse("api:mining-package-publish", args=[pk]))
    assert published.json()["status"] == "published"
    promoted = client.post(reverse("api:mining-package-promote", args=[pk]))
    assert promoted.json()["enterprises"] == 2
    again = client.post(reverse("api:mining-package-publish", args=[pk]))
    assert again.status_code == 400 and again.json()["message"]


@pytest.mark.parametrize("who", [None, "researcher", "buyer", "official"])
def test_api_writes_are_staff_only(cast, client, package, who):
    if who:
        client.force_login(getattr(cast, who))
    assert client.post(
        reverse("api:mining-package-list"), {"title": "x"}, content_type="application/json"
    ).status_code in (401, 403)
    assert client.post(reverse("api:mining-package-publish", args=[package.pk])).status_code in (
        401,
        403,
        404,
    )
    assert AchievementPackage.objects.get(pk=package.pk).status == "draft"


def test_api_generate(cast, client, catalogue):
    client.force_login(cast.operator)
    response = client.post(
        reverse("api:mining-package-generate"),
        {"method": "kmeans", "k": 3, "min_size": 3},
        content_type="application/json",
    )
    assert response.status_code == 201 and len(response.json()) == 3
    bad = client.post(
        reverse("api:mining-package-generate"), {"method": "nope"}, content_type="application/json"
    )
    assert bad.status_code == 400


# ---- evaluation command --------------------------------------------------------------------------


def test_evaluate_packages_reports_nmi_and_ari_from_cached_vectors(tmp_path, capsys):
    from techbridge.matching import embeddings

    records, vectors = [], clustered_vectors(3, 30, seed=5)
    for i in range(90):
        records.append(
            {
                "title": f"题目{i}",
                "abstract": f"摘要{i}",
                "keywords": [f"词{i}"],
                "discipline": f"学科{i // 30}",
            }
        )
    (tmp_path / "r.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8"
    )
    cache = embeddings.EmbeddingCache(tmp_path / "cache.sqlite3")
    cache.put_many(
        {
            embeddings.content_hash(
                embeddings.passage_text(r["title"], r["abstract"], "、".join(r["keywords"]))
            ): v
            for r, v in zip(records, vectors, strict=True)
        }
    )
    call_command(
        "evaluate_packages", "--records", str(tmp_path / "r.jsonl"), "--label", "discipline", "--json",
        "--cache", str(tmp_path / "cache.sqlite3"),
    )  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert out["encoded"] == 0 and out["k"] == 3
    by_method = {r["method"]: r for r in out["results"]}
    assert set(by_method) == set(packages.METHODS)
    assert by_method[packages.DEFAULT_METHOD]["nmi"] > 0.9 and by_method[packages.DEFAULT_METHOD]["platform"]


def test_console_list_query_count_is_pinned(cast, client, catalogue, pinned_queries):
    for i in range(5):
        services.create_package(actor=cast.reviewer, title=f"成果包{i}", achievements=catalogue[:3])
    client.force_login(cast.reviewer)
    with pinned_queries("packages"):
        response = client.get(reverse("mining_console:packages"))
    assert {p.title for p in response.context["page"].object_list} == {f"成果包{i}" for i in range(5)}
