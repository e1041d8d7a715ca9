"""Vectors shipped with the demo: exported once, loaded into a new database, used without encoding."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from techbridge.matching import services, shipped
from techbridge.matching.embeddings import DIM, MODEL_ID
from techbridge.matching.models import Embedding, IndexEntry, IndexState

from .test_rebuild import catalogue, encoder_calls, rebuild  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_indexes")]


def test_quantised_vectors_keep_their_direction():
    rng = np.random.default_rng(7)
    matrix = rng.normal(size=(200, DIM)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)

    back = shipped.dequantise(*shipped.quantise(matrix))

    cosines = (back * matrix).sum(axis=1)
    assert cosines.min() > 0.9999


def test_a_new_database_indexes_the_demo_from_the_file_without_encoding(catalogue, encoder_calls, tmp_path):  # noqa: F811
    rebuild()
    assert sum(encoder_calls) == 3
    path = tmp_path / "embeddings.npz"
    out = StringIO()
    call_command("export_embeddings", str(path), stdout=out)
    assert "3 vectors written" in out.getvalue()
    originals = dict(Embedding.objects.values_list("content_hash", "vector"))

    # A fresh database: the same listings, an empty cache and an empty index.
    Embedding.objects.all().delete()
    IndexEntry.objects.update(state=IndexState.PENDING, content_hash="")
    out = StringIO()
    call_command("load_embeddings", str(path), stdout=out)
    assert "3 vectors added to the cache, 0 were there already" in out.getvalue()

    text, _err = rebuild("--reset")
    assert "3 listings indexed (0 encoded, 3 from the cache)" in text
    assert sum(encoder_calls) == 3  # nothing encoded the second time
    assert set(IndexEntry.objects.values_list("state", flat=True)) == {IndexState.DONE}
    for digest, vector in services.cached_vectors(originals).items():
        original = np.frombuffer(bytes(originals[digest]), dtype="<f4")
        assert float(vector @ original) > 0.9999

    # Loading again adds nothing.
    out = StringIO()
    call_command("load_embeddings", str(path), stdout=out)
    assert "0 vectors added to the cache, 3 were there already" in out.getvalue()


def test_a_file_of_another_model_or_a_broken_file_is_refused_with_a_reason(tmp_path):
    other = tmp_path / "other.npz"
    codes, scales = shipped.quantise(np.ones((1, DIM), dtype=np.float32))
    np.savez_compressed(
        other,
        format=np.array(shipped.FORMAT),
        model_id=np.array("bge-small-zh"),
        hashes=np.array([b"\x00" * 32], dtype="S32"),
        codes=codes,
        scales=scales,
    )
    with pytest.raises(CommandError, match="bge-small-zh"):
        call_command("load_embeddings", str(other), stdout=StringIO())

    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("load_embeddings", str(broken), stdout=StringIO())

    lying = tmp_path / "lying.npz"
    np.savez_compressed(
        lying,
        format=np.array(shipped.FORMAT),
        model_id=np.array(MODEL_ID),
        hashes=np.array([b"\x00" * 32, b"\x01" * 32], dtype="S32"),
        codes=codes,
        scales=scales,
    )
    with pytest.raises(CommandError, match="inconsistent"):
        call_command("load_embeddings", str(lying), stdout=StringIO())
    assert not Embedding.objects.exists()

    out = StringIO()
    call_command("load_embeddings", str(tmp_path / "missing.npz"), "--if-exists", stdout=out)
    assert "No vector file" in out.getvalue()
