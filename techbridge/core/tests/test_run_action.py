"""``core.listing_api.run_action``: who (check), what (body), the service, the answer — in that order."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from techbridge.core.listing_api import StrictSerializer, run_action, user_only


class _Body(StrictSerializer):
    note = serializers.CharField(max_length=5)


class _Out(serializers.Serializer):
    name = serializers.CharField()


def _request(data):
    req = Request(APIRequestFactory().post("/x/", data, format="json"))
    req._full_data = data  # as DRF's parsers would leave it
    req.user = SimpleNamespace(name="alice")  # type: ignore[attr-defined]
    return req


def test_the_service_gets_the_record_the_actor_and_the_body():
    calls = []
    obj = SimpleNamespace(name="record")
    req = _request({"note": "ok"})

    def service(o, *, actor, note):
        calls.append((o, actor.name, note))
        o.name = "changed"

    response = run_action(req, obj, service=service, out=_Out, body=_Body, check=lambda user, o: None)

    assert calls == [(obj, "alice", "ok")]
    assert response.status_code == 200 and response.data == {"name": "changed"}


def test_who_is_checked_before_the_body_and_the_service():
    def refuse(user):
        raise PermissionDenied("不是你的")

    def service(o, **kwargs):
        raise AssertionError("not called")

    with pytest.raises(PermissionDenied, match="不是你的"):
        run_action(_request({"note": "far too long"}), object(), service=service, out=_Out, body=_Body,
                   check=user_only(refuse))  # fmt: skip


def test_a_bad_body_is_a_400_and_the_service_does_not_run():
    def service(o, **kwargs):
        raise AssertionError("not called")

    with pytest.raises(serializers.ValidationError) as err:
        run_action(
            _request({"note": "far too long", "x": 1}), object(), service=service, out=_Out, body=_Body
        )
    assert set(err.value.detail) == {"x"}  # unknown keys are refused first (StrictSerializer)


def test_the_services_refusal_keeps_its_message():
    def service(o, *, actor):
        raise PermissionDenied("截止时间已过")

    with pytest.raises(exceptions.PermissionDenied) as err:
        run_action(_request({}), object(), service=service, out=_Out)
    assert str(err.value.detail) == "截止时间已过"


def test_a_created_record_is_the_answer_with_its_status():
    created = SimpleNamespace(name="new")
    response = run_action(
        _request({}), object(), service=lambda o, *, actor: created, out=_Out, reply="result", status=201
    )
    assert response.status_code == 201 and response.data == {"name": "new"}


def test_refresh_reads_the_record_again():
    class Obj(SimpleNamespace):
        def refresh_from_db(self):
            self.name = "from the database"

    response = run_action(
        _request({}), Obj(name="stale"), service=lambda o, *, actor: None, out=_Out, refresh=True
    )
    assert response.data == {"name": "from the database"}
