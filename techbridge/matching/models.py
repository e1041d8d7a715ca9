"""What matching stores: the embedding cache, the work queue of the vector index, pgvector rows,
the index version other processes watch, and the record of match notifications already sent."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pgvector.django import VectorField


class ListingKind(models.TextChoices):
    """The two sides of the market (achievements and demands), named as the full-text index names them."""

    ACHIEVEMENT = "achievement", _("Achievement")
    DEMAND = "demand", _("Demand")


class Embedding(models.Model):
    """One encoded passage, keyed by the hash of its text and the model that encoded it.

    Text whose hash is already here is never encoded again, whichever listing it belongs to.
    """

    content_hash = models.CharField(_("content hash"), max_length=64)
    model_id = models.CharField(_("model"), max_length=100)
    vector = models.BinaryField(_("vector"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("cached embedding")
        verbose_name_plural = _("cached embeddings")
        constraints = [
            models.UniqueConstraint(fields=["content_hash", "model_id"], name="embedding_once_per_text")
        ]

    def __str__(self) -> str:
        return f"{self.model_id}:{self.content_hash[:12]}"


class IndexState(models.TextChoices):
    PENDING = "pending", _("Waiting to be encoded")
    ENCODING = "encoding", _("Being encoded")
    DONE = "done", _("Indexed")
    FAILED = "failed", _("Failed")
    # The listing is no longer published: its vector was removed. Kept as a tombstone so that other
    # processes, which follow this table, drop it from their in-memory indexes too.
    REMOVED = "removed", _("Removed")


class IndexEntry(models.Model):
    """The vector-index state of one listing: the work queue of ``rebuild_index`` and the change log
    the web processes follow.

    A row is claimed by a conditional UPDATE (``state`` pending, or encoding with a stale claim), so
    several workers on several machines share the work and a crashed worker's rows are taken over.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ListingKind.choices)
    object_id = models.BigIntegerField(_("listing id"))
    # Hash of the public passage the vector was (or is to be) made from.
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=IndexState.choices, default=IndexState.PENDING
    )
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    # The index version (``IndexVersion.version``) of the last change that other processes must apply;
    # written in the transaction that raised the version, so it grows in commit order.
    seq = models.BigIntegerField(_("change number"), default=0)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("index entry")
        verbose_name_plural = _("index entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="index_entry_once_per_listing")
        ]
        indexes = [
            models.Index(fields=["state", "kind", "id"], name="index_entry_work"),
            models.Index(fields=["kind", "seq"], name="index_entry_changes"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.state}"


class IndexVersion(models.Model):
    """A counter per kind, raised by every change to an index; processes reload when it moves."""

    kind = models.CharField(_("kind"), max_length=16, choices=ListingKind.choices, unique=True)
    version = models.BigIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("index version")
        verbose_name_plural = _("index versions")

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class ListingVector(models.Model):
    """The vector of one published listing in pgvector, searched through an HNSW cosine index.

    PostgreSQL only: the table and its index are created by a migration that does nothing on SQLite,
    and the model is unmanaged so that SQLite never touches it.
    """

    kind = models.CharField(max_length=16, choices=ListingKind.choices)
    object_id = models.BigIntegerField()
    embedding = VectorField(dimensions=384)

    class Meta:
        managed = False
        db_table = "matching_listingvector"
        verbose_name = _("listing vector")
        verbose_name_plural = _("listing vectors")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="listing_vector_once_per_listing")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class MatchNotice(models.Model):
    """A demand and an achievement whose owners were told about each other: at most once per pair."""

    demand = models.ForeignKey(
        "demands.Demand", verbose_name=_("demand"), on_delete=models.CASCADE, related_name="+"
    )
    achievement = models.ForeignKey(
        "achievements.Achievement", verbose_name=_("achievement"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("score"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("match notice")
        verbose_name_plural = _("match notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "achievement"], name="match_notice_once_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} ↔ {self.achievement_id}"


# The receivers connect when the models load; ``dispatch_uid`` keeps them single if ``AppConfig.ready``
# imports them too.
from . import signals as _signals  # noqa: E402, F401
