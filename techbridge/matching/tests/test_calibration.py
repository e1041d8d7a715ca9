"""A title-only stub cannot outrank a described listing on its closeness to the centre alone."""

from __future__ import annotations

import numpy as np

from techbridge.matching import calibration
from techbridge.matching.hybrid import HybridRetriever
from techbridge.matching.lexical import BM25Index
from techbridge.matching.vectors import ExactIndex


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def two_listings() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A stub near the centre and a described listing further out; the query is a little closer to
    the stub by plain cosine, but closer to the described listing once the centre's share is removed."""
    c = calibration.centre()
    assert c is not None
    rng = np.random.default_rng(3)
    topic = rng.normal(size=c.shape).astype(np.float32)
    topic -= (topic @ c) * c
    topic = unit(topic)
    stub = unit(0.97 * c + 0.24 * topic)
    described = unit(0.80 * c + 0.60 * topic)
    query = unit(0.95 * c + 0.31 * topic)
    return stub, described, query


def retriever(weight: float) -> HybridRetriever:
    stub, described, _query = two_listings()
    vectors = ExactIndex()
    vectors.upsert(["stub", "described"], np.stack([stub, described]))
    return HybridRetriever(BM25Index(), vectors, centre_weight=weight)


def test_the_described_listing_wins_and_shows_its_plain_cosine():
    stub, described, query = two_listings()
    assert float(query @ stub) > float(query @ described)  # plain cosine prefers the stub

    plain = retriever(0.0).search("x", k=2, method="dense", query_vec=query)
    calibrated = retriever(0.5).search("x", k=2, method="dense", query_vec=query)

    assert [c.id for c in plain] == ["stub", "described"]
    assert [c.id for c in calibrated] == ["described", "stub"]
    shown = {c.id: c.dense for c in calibrated}
    assert abs(shown["described"] - float(query @ described)) < 1e-5
    assert abs(shown["stub"] - float(query @ stub)) < 1e-5


def test_the_setting_turns_it_off(settings):
    _stub, _described, query = two_listings()
    settings.MATCHING_CENTRE_WEIGHT = 0
    assert np.allclose(calibration.calibrated_query(query), query)
    settings.MATCHING_CENTRE_WEIGHT = 0.5
    shifted = calibration.calibrated_query(query)
    assert abs(float(np.linalg.norm(shifted)) - 1.0) < 1e-5
    assert float(shifted @ calibration.centre()) < float(query @ calibration.centre())
