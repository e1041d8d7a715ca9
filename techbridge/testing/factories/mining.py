"""Mining (挖掘): achievement packages straight in the database, a tiny classifier bundle trained in
memory, and synthetic vectors put in matching's embedding cache (the embedding model is never loaded)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory
import numpy as np

from techbridge.mining.models import AchievementPackage

# Five short texts per discipline and four per IPC class: enough for the tiny classifier to separate them.
DISCIPLINE_TEXTS = {
    "材料科学与工程": [
        "锂电池 隔膜 高孔隙率 制备 聚合物 复合材料",
        "陶瓷 涂层 纳米 复合材料 力学性能",
        "高分子 膜材料 孔隙 拉伸 工艺",
        "合金 材料 热处理 显微组织 性能",
        "纳米 颗粒 复合 涂层 耐磨",
    ],
    "环境科学与工程": [
        "污水 处理 污泥 减量 生物 反应器",
        "废水 脱氮 除磷 活性污泥 工艺",
        "大气 污染 排放 颗粒物 监测",
        "土壤 修复 重金属 污染 治理",
        "固废 处置 污泥 资源化 利用",
    ],
    "计算机科学与技术": [
        "深度学习 算法 神经网络 图像 识别",
        "软件 系统 数据库 查询 优化",
        "机器学习 模型 数据挖掘 分类 算法",
        "云计算 分布式 调度 算法 系统",
        "神经网络 训练 模型 推理 加速",
    ],
}
IPC_TEXTS = {
    "H01": ["一种锂电池隔膜", "电池电极材料", "锂离子电池组", "电池隔膜涂层"],
    "C02": ["一种污水处理装置", "污泥脱水设备", "废水净化系统", "污水生物处理池"],
    "G06": ["一种图像识别方法", "数据处理系统", "神经网络计算装置", "计算机视觉算法"],
}


class AchievementPackageFactory(factory.django.DjangoModelFactory):
    """A draft package assembled by staff; ``achievements`` takes the achievements to put in it."""

    class Meta:
        model = AchievementPackage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"锂电池成果包{n}")

    @factory.post_generation
    def achievements(obj: Any, create: bool, extracted: Iterable[Any] | None, **kwargs: Any) -> None:
        if create and extracted:
            obj.achievements.add(*extracted)


def make_bundle(version: str = "test-1") -> Any:
    """A classifier bundle (discipline and IPC class) trained in memory on the texts above."""
    from techbridge.mining.classifiers import ClassifierBundle, Example, record_text, train_text_classifier

    bundle = ClassifierBundle(version)
    bundle.discipline = train_text_classifier(
        [Example(record_text(t, t), d) for d, texts in DISCIPLINE_TEXTS.items() for t in texts]
    )
    bundle.ipc = train_text_classifier(
        [Example(record_text(t, ""), c) for c, texts in IPC_TEXTS.items() for t in texts]
    )
    bundle.meta = {"trained_at": "2026-01-01T00:00:00", "examples": {"discipline": 15, "ipc_class": 12}}
    return bundle


def store_vectors(achievements: list, vectors: np.ndarray) -> None:
    """Put ``vectors`` in matching's embedding cache under the achievements' passage hashes."""
    from techbridge.matching.embeddings import MODEL_ID, content_hash, to_bytes
    from techbridge.matching.models import Embedding
    from techbridge.matching.queries import passage_of

    for a, v in zip(achievements, vectors, strict=True):
        Embedding.objects.update_or_create(
            content_hash=content_hash(passage_of(a)), model_id=MODEL_ID, defaults={"vector": to_bytes(v)}
        )


def clustered_vectors(groups: int, per_group: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    """Unit vectors in ``groups`` tight, well separated clusters of ``per_group``."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(groups, dim))
    rows = [centres[g] + 0.05 * rng.normal(size=dim) for g in range(groups) for _ in range(per_group)]
    mat = np.asarray(rows, dtype=np.float32)
    return mat / np.linalg.norm(mat, axis=1, keepdims=True)
