"""Classification of listings: predictions with confidence, reviewers' corrections that stick, the
API, the commands, and the platform working before any model is trained."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from techbridge.achievements.models import Achievement
from techbridge.core.models import AuditEntry
from techbridge.mining import classifiers, services, training
from techbridge.mining.classifiers import ListingText
from techbridge.mining.models import ClassificationCorrection, ListingClassification
from techbridge.mining.signals import classify_changed_listing
from techbridge.testing.factories import AchievementFactory, DemandFactory, publish
from techbridge.testing.factories.mining import make_bundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def achievement(cast):
    a = AchievementFactory(owner=cast.university, created_by=cast.researcher)
    publish(a)
    return a


@pytest.fixture
def demand(cast):
    d = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer)
    publish(d)
    return d


def labels_of(kind, pk):
    return {r.target: r for r in ListingClassification.objects.filter(kind=kind, object_id=pk)}


# ---- the classifiers themselves ------------------------------------------------------------------


def test_bundle_predicts_discipline_category_field_and_ipc_with_confidences():
    bundle = make_bundle()
    res = bundle.classify_one(
        ListingText("一种锂电池隔膜", "高孔隙率 聚合物 隔膜 复合材料", "锂电池,隔膜", is_patent=True)
    )
    assert res["discipline"].label == "材料科学与工程"
    assert res["category"].label == "工学"
    # The category's confidence is the sum of its disciplines' (all three are 工学 here).
    assert res["category"].confidence == pytest.approx(1.0, abs=1e-6)
    assert 0 < res["discipline"].confidence <= 1
    assert res["ipc_class"].label == "H01"
    assert res["ipc_section"].label == "H"
    assert res["field"].label in {"materials", "nev"}


def test_declared_ipc_codes_win_over_the_model():
    bundle = make_bundle()
    res = bundle.classify_one(ListingText("一种污水处理装置", "污泥", ipc_codes=["G06F17/30"]))
    assert (res["ipc_class"].label, res["ipc_class"].confidence) == ("G06", 1.0)
    assert res["ipc_section"].label == "G"
    assert res["field"].label == "software"


def test_non_patents_get_no_ipc():
    res = make_bundle().classify_one(ListingText("污水处理厂污泥减量", "污水 污泥 减量"))
    assert "ipc_class" not in res and res["discipline"].label == "环境科学与工程"
    assert res["field"].label == "environment"


def test_field_falls_back_to_other_when_nothing_points_anywhere():
    pred = classifiers.field_prediction(ListingText("关于诗歌的研究", "唐诗 宋词"), {}, {})
    assert pred.label == "other"


# ---- no model yet --------------------------------------------------------------------------------


def test_without_a_trained_model_the_page_says_not_classified_yet(client, achievement, model_dir):
    assert services.classify_listing("achievement", achievement.pk) == "no_model"
    with translation.override("en"):
        response = client.get(
            reverse("achievements:detail", args=[achievement.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    assert "Not classified yet." in response.content.decode()


# ---- classification after a change ---------------------------------------------------------------


def test_a_changed_listing_is_classified_after_commit(achievement, trained, run_on_commit):
    with run_on_commit(execute=True):
        classify_changed_listing(sender=Achievement, pk=achievement.pk, published=True)
    rows = labels_of("achievement", achievement.pk)
    assert rows["discipline"].label == "材料科学与工程"
    assert rows["discipline"].model_version == "test-1"
    assert {"field", "category", "discipline", "ipc_class", "ipc_section"} <= set(rows)
    # Unchanged text under the same model: nothing to do.
    assert services.classify_listing("achievement", achievement.pk) == "unchanged"


def test_demands_are_classified_too(demand, trained):
    assert services.classify_listing("demand", demand.pk) == "classified"
    rows = labels_of("demand", demand.pk)
    assert rows["discipline"].label == "环境科学与工程"
    assert "ipc_class" not in rows


def test_the_panel_shows_the_classification_with_confidence(client, achievement, trained):
    services.classify_listing("achievement", achievement.pk)
    response = client.get(reverse("achievements:detail", args=[achievement.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "材料科学与工程" in html and "%" in html
    assert 'name="label"' not in html  # no correction control for the public


# ---- corrections ---------------------------------------------------------------------------------


def test_a_correction_is_kept_shown_and_survives_reclassification(cast, client, achievement, trained):
    services.classify_listing("achievement", achievement.pk)
    client.force_login(cast.reviewer)
    url = reverse("mining:classification_correct", args=["achievement", achievement.pk])
    response = client.post(url, {"target": "discipline", "label": "环境科学与工程"})
    assert response.status_code == 302
    row = labels_of("achievement", achievement.pk)["discipline"]
    assert (row.label, row.corrected_label, row.corrected_by) == (
        "材料科学与工程",
        "环境科学与工程",
        cast.reviewer,
    )
    history = ClassificationCorrection.objects.get()
    assert (history.old_label, history.new_label, history.actor) == (
        "材料科学与工程",
        "环境科学与工程",
        cast.reviewer,
    )
    assert AuditEntry.objects.filter(
        action="achievements.achievement.classification_corrected", actor=cast.reviewer
    ).exists()
    # Re-classification (forced, new text) rewrites the prediction, never the correction.
    Achievement.objects.filter(pk=achievement.pk).update(summary="污水 污泥 处理")
    services.classify_listings("achievement", [achievement.pk], force=True)
    row.refresh_from_db()
    assert row.corrected_label == "环境科学与工程"
    page = client.get(reverse("achievements:detail", args=[achievement.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "corrected by a reviewer" in page.content.decode()


@pytest.mark.parametrize("who", ["researcher", "buyer", "official", "outsider"])
def test_only_reviewers_and_operators_may_correct(cast, client, achievement, trained, who):
    client.force_login(getattr(cast, who))
    url = reverse("mining:classification_correct", args=["achievement", achievement.pk])
    response = client.post(url, {"target": "discipline", "label": "环境科学与工程"})
    assert response.status_code == 403
    assert not ListingClassification.objects.exclude(corrected_label="").exists()


def test_anonymous_correction_goes_to_sign_in(client, achievement):
    url = reverse("mining:classification_correct", args=["achievement", achievement.pk])
    response = client.post(url, {"target": "discipline", "label": "环境科学与工程"})
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "target,label",
    [
        ("discipline", "不存在的学科"),
        ("field", "nope"),
        ("ipc_class", "Z99"),
        ("ipc_section", "Q"),
        ("bogus", "x"),
    ],
)
def test_labels_outside_the_vocabulary_are_refused(cast, achievement, target, label):
    with pytest.raises(ValidationError):
        services.correct_classification(achievement, target, label, actor=cast.reviewer)
    assert not ListingClassification.objects.exists()


def test_demands_have_no_ipc_correction(cast, demand):
    with pytest.raises(ValidationError):
        services.correct_classification(demand, "ipc_class", "H01", actor=cast.operator)


def test_service_refuses_non_staff(cast, achievement):
    with pytest.raises(PermissionDenied):
        services.correct_classification(achievement, "field", "materials", actor=cast.researcher)


def test_corrections_become_training_examples(cast, achievement, trained):
    services.correct_classification(achievement, "discipline", "环境科学与工程", actor=cast.reviewer)
    services.correct_classification(achievement, "ipc_class", "c02", actor=cast.reviewer)
    examples = training.correction_examples()
    assert [e.label for e in examples["discipline"]] == ["环境科学与工程"]
    assert [e.label for e in examples["ipc_class"]] == ["C02"]
    assert examples["discipline"][0].weight == classifiers.CORRECTION_WEIGHT
    assert "锂电池" in examples["discipline"][0].text


# ---- API -----------------------------------------------------------------------------------------


def test_api_reads_the_classification_of_a_visible_listing(client, achievement, trained):
    services.classify_listing("achievement", achievement.pk)
    response = client.get(reverse("api:mining-classification", args=["achievement", achievement.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["classified"] is True
    by_target = {x["target"]: x for x in body["labels"]}
    assert by_target["discipline"]["label"] == "材料科学与工程"
    assert 0 < by_target["discipline"]["confidence"] <= 1


def test_api_hides_the_classification_of_a_draft(cast, client, trained):
    draft = AchievementFactory(owner=cast.university)
    client.force_login(cast.outsider)
    response = client.get(reverse("api:mining-classification", args=["achievement", draft.pk]))
    assert response.status_code == 404
    assert "message" in response.json()


def test_api_correction_per_role(cast, client, achievement, trained):
    url = reverse("api:mining-classification-correct", args=["achievement", achievement.pk])
    client.force_login(cast.buyer)
    assert (
        client.post(
            url, {"target": "field", "label": "environment"}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(cast.operator)
    bad = client.post(url, {"target": "field", "label": "nope"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["message"]
    ok = client.post(url, {"target": "field", "label": "environment"}, content_type="application/json")
    assert ok.status_code == 200
    field = next(x for x in ok.json()["labels"] if x["target"] == "field")
    assert field["label"] == "environment" and field["corrected"] is True and field["confidence"] is None


# ---- console -------------------------------------------------------------------------------------


def test_console_lists_least_certain_predictions_for_staff(cast, client, achievement, demand, trained):
    services.classify_listings("achievement", [achievement.pk])
    services.classify_listings("demand", [demand.pk])
    client.force_login(cast.reviewer)
    response = client.get(reverse("mining_console:classification"), {"target": "discipline"})
    assert response.status_code == 200
    confidences = [it["row"].confidence for it in response.context["items"]]
    assert confidences == sorted(confidences) and len(confidences) == 2
    client.force_login(cast.buyer)
    assert client.get(reverse("mining_console:classification")).status_code == 403


# ---- commands ------------------------------------------------------------------------------------


def test_classify_listings_command_classifies_the_catalogue(achievement, demand, trained, capsys):
    call_command("classify_listings")
    out = capsys.readouterr().out
    assert "2 classified" in out
    assert ListingClassification.objects.filter(target="discipline").count() == 2


def test_classify_listings_without_a_model_says_so(model_dir):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("classify_listings")


def _write(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")


def test_evaluate_classifier_prints_accuracy_and_macro_f1(tmp_path, capsys):
    from techbridge.testing.factories.mining import DISCIPLINE_TEXTS

    train, test = [], []
    for d, texts in DISCIPLINE_TEXTS.items():
        for t in texts:
            train.append({"title": t.split()[0], "abstract": t, "keywords": t.split()[:2], "discipline": d})
        test.append({"title": texts[0].split()[0], "abstract": texts[0], "discipline": d})
    _write(tmp_path / "t.jsonl", train)
    _write(tmp_path / "e.jsonl", test)
    call_command(
        "evaluate_classifier",
        "--train", str(tmp_path / "t.jsonl"), "--test", str(tmp_path / "e.jsonl"),
        "--label", "discipline", "--json",
    )  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert result["test"] == 3 and result["dropped_as_in_test"] == 3
    assert 0 <= result["accuracy"] <= 1 and 0 <= result["macro_f1"] <= 1


def test_train_classifiers_trains_from_a_data_folder_and_makes_it_current(tmp_path, model_dir, capsys):
    from techbridge.testing.factories.mining import DISCIPLINE_TEXTS, IPC_TEXTS

    (tmp_path / "data" / "csl").mkdir(parents=True)
    (tmp_path / "data" / "cn_patent_ipc_titles").mkdir(parents=True)
    rows = [
        {"title": t.split()[0], "abstract": t, "keywords": t.split()[:2], "discipline": d}
        for d, texts in DISCIPLINE_TEXTS.items()
        for t in texts
    ]
    _write(tmp_path / "data" / "csl" / "csl_records.jsonl", rows)
    lines = ["row_id\tpublication_numbers\ttitle\tipc_subclasses\tipc_classes\tipc_sections"]
    for c, titles in IPC_TEXTS.items():
        lines += [f"{i}\tCN1A\t{t}\t{c}X\t{c}\t{c[0]}" for i, t in enumerate(titles)]
    (tmp_path / "data" / "cn_patent_ipc_titles" / "patent_titles_ipc.tsv").write_text(
        "\n".join(lines), encoding="utf-8"
    )
    call_command("train_classifiers", "--data-dir", str(tmp_path / "data"))
    info = classifiers.current_info()
    assert info and info["examples"] == {"discipline": 15, "ipc_class": 12}
    bundle = classifiers.load_bundle()
    assert bundle is not None and bundle.version == info["version"]
    assert bundle.classify_one(ListingText("污水", "污泥 处理 废水"))["discipline"].label == "环境科学与工程"


def test_the_demand_page_shows_the_panel(client, demand, trained):
    services.classify_listing("demand", demand.pk)
    html = client.get(reverse("demands:detail", args=[demand.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="classification"' in html and "环境科学与工程" in html


def test_listing_vectors_join_the_discipline_model(achievement, model_dir):
    """With a vector model in the bundle, a listing's cached vector is pooled with the text."""
    import numpy as np

    from techbridge.mining.classifiers import VectorClassifier
    from techbridge.testing.factories.mining import clustered_vectors, store_vectors

    bundle = make_bundle("test-vec")
    vecs = clustered_vectors(3, 5, seed=7)
    names = ["材料科学与工程", "环境科学与工程", "计算机科学与技术"]
    bundle.discipline_vectors = VectorClassifier().fit(vecs, [names[i // 5] for i in range(15)])
    classifiers.save_bundle(bundle)
    # The listing's text says 材料; its vector sits in the 计算机 cluster.
    store_vectors([achievement], vecs[10:11])
    texts = services.listing_texts("achievement", [achievement.pk], vectors=True)
    assert texts[achievement.pk].vector is not None
    services.classify_listing("achievement", achievement.pk)
    row = ListingClassification.objects.get(object_id=achievement.pk, target="discipline")
    alternatives = dict((a[0], a[1]) for a in row.alternatives)
    assert row.label == "材料科学与工程" or "材料科学与工程" in alternatives
    assert "计算机科学与技术" in {row.label, *alternatives}
    assert np.isclose(sum([row.confidence, *alternatives.values()]), 1.0, atol=0.05)


def test_daily_sweep_classifies_what_changed(achievement, demand, trained):
    from techbridge.mining.signals import classify_all_listings

    assert classify_all_listings()["classified"] == 2
    assert classify_all_listings()["unchanged"] == 2


def test_word_features_and_neighbour_votes_join_the_discipline_model():
    """jieba word TF-IDF sits beside the character n-grams; the nearest training records' votes are
    blended into the pooled probability (which still sums to 1)."""
    import numpy as np

    from techbridge.mining.classifiers import ClassifierBundle, TextClassifier, VectorNeighbours
    from techbridge.testing.factories.mining import clustered_vectors

    names = ["材料科学与工程", "环境科学与工程", "计算机科学与技术"]
    texts = ["合金 材料 力学性能 热处理"] * 5 + ["污水 处理 污泥 废水"] * 5 + ["算法 网络 软件 数据"] * 5
    labels = [names[i // 5] for i in range(15)]
    text = TextClassifier(ngram_max=4, words=True).fit(texts, labels)
    assert text.word_vectorizer is not None and "污水" in text.word_vectorizer.vocabulary_
    vecs = clustered_vectors(3, 5, seed=7)
    knn = VectorNeighbours(k=3).fit(vecs, labels)
    p = knn.predict_proba_aligned(vecs[10:11], text.classes_)
    assert text.classes_[int(p.argmax())] == "计算机科学与技术" and np.isclose(p.sum(), 1.0)
    bundle = ClassifierBundle("test-knn")
    bundle.discipline, bundle.discipline_neighbours, bundle.neighbour_weight = text, knn, 0.9
    alone = bundle.classify_one(ListingText("合金", "材料 热处理"))["discipline"]
    pooled = bundle.classify_one(ListingText("合金", "材料 热处理", vector=vecs[10]))["discipline"]
    assert alone.label == "材料科学与工程" and pooled.label == "计算机科学与技术"
    assert np.isclose(pooled.confidence + sum(c for _l, c in pooled.alternatives), 1.0, atol=0.05)
