"""drf-spectacular post-processing hook: the error answers any operation may give, documented once.

Every error is JSON ``{"message", "status"}`` (``core.api.exception_handler``, schema ``Error``). Any
operation may answer 401 (a token that expired or was revoked, even on a public endpoint), 403 (a role
or a record rule, a missing CSRF token on a signed-in session) and 503 (the database did not answer:
``core.outage``); one that takes parameters or a body, 400 (a value out of range, not a number, not in
its list); one with an id in its path or query (``page``, ``plan``), 404. Codes an operation
documents itself are kept as they are.
"""

from __future__ import annotations

from typing import Any

METHODS = {"get", "put", "patch", "post", "delete", "head", "options", "trace"}
DESCRIPTIONS = {
    "400": "Invalid input: a parameter or the body (the message says which).",
    "401": "Not signed in, or the token has expired or was revoked.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such record, or not visible to the caller (or no such page of a list).",
    "503": "The database did not answer; nothing was saved. Try again after Retry-After seconds.",
}


def document_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    if "Error" not in (result.get("components") or {}).get("schemas", {}):
        return result
    for path, item in (result.get("paths") or {}).items():
        for method, op in item.items():
            if method not in METHODS or not isinstance(op, dict):
                continue
            codes = ["401", "403", "503"]
            if op.get("parameters") or op.get("requestBody"):
                codes.append("400")
            # A page number past the last page is a 404 (DRF's pagination), and so is a record named in
            # the query (governance's ``plan``: a plan that does not exist).
            pages = any(
                p.get("in") == "query" and p.get("name") in ("page", "plan") for p in op.get("parameters", [])
            )
            if "{" in path or pages:
                codes.append("404")
            responses = op.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {"content": error, "description": DESCRIPTIONS[code]})
            op["responses"] = dict(sorted(responses.items()))
    return result
