"""Read-only API of the shared vocabularies, and the fields other endpoints use to accept their codes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers

from .models import DealMode, Discipline, IndustryField


class IndustryFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndustryField
        fields = ["code", "name", "name_en"]


class DealModeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DealMode
        fields = ["code", "name", "name_en"]


class DisciplineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Discipline
        fields = ["name", "category"]


def industry_field_codes(**kwargs: Any) -> Any:
    """Input: a list of industry field codes (``["ic", "software"]``); an unknown code is an error."""
    return serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=IndustryField.objects.all(),
        error_messages={
            "does_not_exist": _("Unknown industry field code “{value}”. See /api/v1/taxonomy/fields/.")
        },
        help_text="Industry field codes, see /api/v1/taxonomy/fields/.",
        **kwargs,
    )


def deal_mode_codes(**kwargs: Any) -> Any:
    """Input: a list of deal mode codes (``["assignment", "development"]``); an unknown code is an error."""
    return serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=DealMode.objects.all(),
        error_messages={
            "does_not_exist": _("Unknown deal mode code “{value}”. See /api/v1/taxonomy/deal-modes/.")
        },
        help_text="Deal mode codes, see /api/v1/taxonomy/deal-modes/.",
        **kwargs,
    )


def discipline_by_name(**kwargs: Any) -> Any:
    """Input: a discipline by its name (``"材料科学与工程"``); an unknown name is an error."""
    return serializers.SlugRelatedField(
        slug_field="name",
        queryset=Discipline.objects.all(),
        error_messages={
            "does_not_exist": _("Unknown discipline “{value}”. See /api/v1/taxonomy/disciplines/.")
        },
        help_text="A discipline name, see /api/v1/taxonomy/disciplines/.",
        **kwargs,
    )


class _VocabularyList(generics.ListAPIView):
    """Whole vocabularies are short, so they come in one page."""

    permission_classes = [permissions.AllowAny]
    pagination_class = None


@extend_schema(tags=["taxonomy"], summary="Industry fields")
class IndustryFieldList(_VocabularyList):
    queryset = IndustryField.objects.all()
    serializer_class = IndustryFieldSerializer


@extend_schema(tags=["taxonomy"], summary="Deal modes (also the cooperation modes of demands)")
class DealModeList(_VocabularyList):
    queryset = DealMode.objects.all()
    serializer_class = DealModeSerializer


@extend_schema(tags=["taxonomy"], summary="Disciplines (学科) by category")
class DisciplineList(_VocabularyList):
    queryset = Discipline.objects.all()
    serializer_class = DisciplineSerializer
