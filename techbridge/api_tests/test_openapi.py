"""The committed OpenAPI schema is the one the code generates."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

SCHEMA_FILE = settings.BASE_DIR / "docs" / "openapi.json"


def generate() -> dict:
    # ``manage.py spectacular`` runs in the default language; so does this, whatever a test left active.
    with translation.override(settings.LANGUAGE_CODE):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


def test_docs_openapi_json_matches_the_code():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))

    assert generate() == committed, "docs/openapi.json is stale: run make openapi"


def test_every_endpoint_documents_its_errors():
    paths = generate()["paths"]

    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if method != "get" or "{id}" in path:
                assert codes - {"200", "201"}, f"{method.upper()} {path} documents no error response"
