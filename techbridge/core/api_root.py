"""``GET /api/v1/``: the API's front door, one link per section (kept apart from ``core.api``, which DRF's
settings import while ``rest_framework.views`` is still loading)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


def api_paths(patterns: Any, prefix: str = "") -> list[str]:
    """Every parameter-free route below ``patterns`` (``include``s followed), as a relative path."""
    found: list[str] = []
    for entry in patterns:
        route = str(entry.pattern).removeprefix("^").removesuffix("$").removesuffix("\\Z")
        if "<" in route or "(" in route or "\\" in route:
            continue
        if isinstance(entry, URLResolver):
            found += api_paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern) and (prefix + route):
            found.append(prefix + route)
    return found


class ApiRootView(APIView):
    """The API's front door: one link per section, plus the token, schema and documentation URLs."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["root"],
        summary="API root: the sections of the API",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        _prefix, api = get_resolver().namespace_dict["api"]
        sections: dict[str, str] = {}
        for path in sorted(api_paths(api.url_patterns), key=lambda p: (p.count("/"), p)):
            sections.setdefault(path.split("/", 1)[0], path)
        base = reverse("api:root")
        return Response(
            {
                "token": request.build_absolute_uri(reverse("api:token")),
                "schema": request.build_absolute_uri(reverse("api-schema")),
                "docs": request.build_absolute_uri(reverse("api-docs")),
                "sections": {
                    name: request.build_absolute_uri(base + path) for name, path in sorted(sections.items())
                },
            }
        )
