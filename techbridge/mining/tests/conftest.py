"""Fixtures of the mining tests: a tiny classifier saved as the current model in a throw-away folder.
Its training texts, vectors for the embedding cache and packages come from
``techbridge.testing.factories.mining``."""

from __future__ import annotations

from typing import Any

import pytest

from techbridge.mining import classifiers
from techbridge.testing.factories.mining import make_bundle


@pytest.fixture
def model_dir(settings: Any, tmp_path: Any) -> Any:
    """An empty model folder: no classifier is trained yet."""
    settings.MINING_MODEL_DIR = str(tmp_path / "models")
    classifiers.forget_loaded()
    yield tmp_path / "models"
    classifiers.forget_loaded()


@pytest.fixture
def trained(model_dir: Any) -> classifiers.ClassifierBundle:
    """A tiny bundle saved as the current version."""
    bundle = make_bundle()
    classifiers.save_bundle(bundle)
    return bundle
