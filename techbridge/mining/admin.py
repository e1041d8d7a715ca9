"""Admin of mining (read-mostly: changes go through the console so they are audited)."""

from django.contrib import admin

# ---- classification and achievement packages (mining-ml)
from .models import AchievementPackage, ClassificationCorrection, ListingClassification, PackagePromotion


@admin.register(AchievementPackage)
class AchievementPackageAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "is_automatic", "field", "updated_at"]
    list_filter = ["status", "is_automatic"]
    search_fields = ["title"]
    readonly_fields = ["status", "published_at", "promoted_at", "created_by"]
    raw_id_fields = ["achievements"]


@admin.register(PackagePromotion)
class PackagePromotionAdmin(admin.ModelAdmin):
    list_display = ["package", "enterprise", "score", "recipients", "created_at"]
    raw_id_fields = ["package", "enterprise", "promoted_by"]


@admin.register(ListingClassification)
class ListingClassificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "target", "label", "confidence", "corrected_label", "model_version"]
    list_filter = ["kind", "target"]
    search_fields = ["label", "corrected_label"]
    readonly_fields = ["label", "confidence", "alternatives", "model_version", "text_hash", "classified_at"]


@admin.register(ClassificationCorrection)
class ClassificationCorrectionAdmin(admin.ModelAdmin):
    list_display = ["classification", "old_label", "new_label", "actor", "created_at"]
    raw_id_fields = ["classification", "actor"]
