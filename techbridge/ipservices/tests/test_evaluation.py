"""The early-warning evaluation set and harness (the full run is ``evaluate_early_warning``)."""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

import pytest

from techbridge.ipservices import evaluation, warning


def test_the_evaluation_set_has_one_description_per_class_and_part():
    products = evaluation.read_products()
    assert len(products) == 72
    per_part = Counter((p.split, p.label) for p in products)
    assert set(per_part.values()) == {1} and {s for s, _l in per_part} == {"dev", "held"}
    assert len({p.patent_id for p in products}) == 72


@pytest.fixture(scope="module")
def bdci():
    path = evaluation.shared_data_dir() / evaluation.BDCI_FILE
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    return evaluation.read_stream(path)


def test_descriptions_are_written_not_copied_from_the_abstracts(bdci):
    abstracts = {p.id: p.abstract for p in bdci}
    for product in evaluation.read_products():
        abstract = abstracts[product.patent_id]
        match = SequenceMatcher(None, product.description, abstract, autojunk=False).find_longest_match(
            0, len(product.description), 0, len(abstract)
        )
        assert match.size <= 12, (product.product, product.description[match.a : match.a + match.size])


@pytest.mark.django_db
def test_the_harness_finds_a_products_own_patent_first(bdci, e5_model):
    products = [p for p in evaluation.read_products() if p.split == "dev"][:3]
    wanted = {p.patent_id for p in products}
    stream = [p for p in bdci if p.id in wanted] + [
        p for p in bdci if p.label not in {q.label for q in products}
    ][:5]
    pairs = evaluation.collect_pairs(products, stream)
    scores = evaluation.score(
        products, stream, pairs, threshold=warning.ALERT_THRESHOLD, term_weight=warning.TERM_WEIGHT
    )
    assert scores.recall_at_10 == 1.0 and scores.patents == len(stream)
    assert 0.0 <= scores.precision_related <= 1.0


@pytest.fixture(scope="module")
def e5_model():
    from techbridge.matching.embeddings import get_model

    return get_model()
