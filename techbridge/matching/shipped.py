"""Vectors shipped with the demo data: write the embedding cache to a compact file, read it back.

Encoding the demo's 13.5k listings takes a good part of an hour on two cores, so ``make demo`` would
offer keyword matching only for its first hour. Instead the vectors, made once by the project's own
encoder (``rebuild_index``), are kept in ``data/demo/embeddings.npz``. The file holds, per passage, the
SHA-256 content hash the cache is keyed by (it covers the model id and the normalised text) and the
vector quantised to int8 with one scale per vector (a quarter of float32; cosine similarity with the
original vector ≥ 0.9999). Loading fills the cache only: ``rebuild_index`` then finds every unchanged
passage there and encodes only what changed since the file was written, so a stale file costs time,
never correctness.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from .embeddings import DIM, MODEL_ID, from_bytes
from .models import Embedding
from .services import store_vectors

FORMAT = 1
# A file larger than this is not a demo's vectors (about 400 bytes per passage).
MAX_FILE_BYTES = 200 * 1024 * 1024


class ShippedVectorsError(ValueError):
    """The file is not a usable vector file for this model (the message says why, translated)."""


@dataclass
class LoadResult:
    in_file: int
    added: int
    already: int


def quantise(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 codes and one float32 scale per row (max |component| maps to 127)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    peak = np.abs(matrix).max(axis=1) if len(matrix) else np.zeros(0, dtype=np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    codes = np.clip(np.rint(matrix / scales[:, None]), -127, 127).astype(np.int8)
    return codes, scales


def dequantise(codes: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """float32 L2-normalised rows back from ``quantise``."""
    matrix = codes.astype(np.float32) * scales[:, None].astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def export(path: str | Path) -> int:
    """Write every cached vector of the current model to ``path``; returns how many."""
    rows = list(
        Embedding.objects.filter(model_id=MODEL_ID)
        .order_by("content_hash")
        .values_list("content_hash", "vector")
    )
    hashes = np.array([bytes.fromhex(h) for h, _v in rows], dtype="S32").reshape(-1)
    matrix = np.stack([from_bytes(bytes(v)) for _h, v in rows]) if rows else np.zeros((0, DIM), np.float32)
    codes, scales = quantise(matrix)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        np.savez_compressed(
            out,
            format=np.array(FORMAT),
            model_id=np.array(MODEL_ID),
            hashes=hashes,
            codes=codes,
            scales=scales,
        )
    return len(rows)


def read(path: str | Path) -> tuple[list[str], np.ndarray]:
    """The content hashes and float32 vectors in a shipped file, after checking it is one."""
    source = Path(path)
    if not source.is_file():
        raise ShippedVectorsError(_("The vector file %(path)s does not exist.") % {"path": source})
    if source.stat().st_size > MAX_FILE_BYTES:
        raise ShippedVectorsError(_("The vector file %(path)s is too large.") % {"path": source})
    try:
        with np.load(io.BytesIO(source.read_bytes()), allow_pickle=False) as data:
            fmt = int(data["format"])
            model_id = str(data["model_id"])
            hashes = data["hashes"]
            codes = data["codes"]
            scales = data["scales"]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ShippedVectorsError(
            _("The vector file %(path)s cannot be read: %(error)s") % {"path": source, "error": exc}
        ) from exc
    if fmt != FORMAT:
        raise ShippedVectorsError(
            _("The vector file has format %(found)s, not %(expected)s.")
            % {
                "found": fmt,
                "expected": FORMAT,
            }
        )
    if model_id != MODEL_ID:
        raise ShippedVectorsError(
            _("The vectors were made by %(found)s, but matching uses %(expected)s: rebuild the index.")
            % {"found": model_id, "expected": MODEL_ID}
        )
    n = len(hashes)
    if codes.dtype != np.int8 or codes.shape != (n, DIM) or scales.shape != (n,) or hashes.dtype != "S32":
        raise ShippedVectorsError(_("The vector file %(path)s is inconsistent.") % {"path": source})
    return [h.hex() for h in hashes], dequantise(codes, scales)


def load(path: str | Path, *, batch: int = 2000) -> LoadResult:
    """Add the file's vectors to the embedding cache; vectors cached already are kept as they are."""
    hashes, matrix = read(path)
    existing = set(
        Embedding.objects.filter(model_id=MODEL_ID).values_list("content_hash", flat=True).iterator()
    )
    added = 0
    for start in range(0, len(hashes), batch):
        chunk = {
            h: matrix[start + i] for i, h in enumerate(hashes[start : start + batch]) if h not in existing
        }
        store_vectors(chunk)
        added += len(chunk)
    return LoadResult(in_file=len(hashes), added=added, already=len(hashes) - added)
