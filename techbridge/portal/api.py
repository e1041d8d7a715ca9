"""The big screen's figures in the API (``/api/v1/screen/``): public counters and charts, cached a minute."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import screen

_SCREEN = inline_serializer(
    "BigScreen",
    {
        "generated_at": serializers.DateTimeField(),
        "counters": serializers.ListField(child=serializers.DictField()),
        "charts": serializers.ListField(
            child=serializers.DictField(),
            help_text="bar, line, doughnut: labels and series [{name, values}]; table: columns and rows.",
        ),
    },
)


class ScreenView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(tags=["portal"], summary="The public big screen (数据大屏)", responses={200: _SCREEN})
    def get(self, request: Request) -> Response:
        return Response(screen.current())
