"""API for what campaigns are built from: agents, disposition lists with their codes
nested, pause-code lists with their codes, calling windows with their weekday rows and
holidays. Each resource: list + create, and read + update + delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import team_scope
from accounts.models import Team
from campaigns import services
from campaigns.models import (
    Agent,
    CallingWindow,
    DispositionCode,
    DispositionList,
    PauseCodeList,
    TimezonePolicy,
    Weekday,
)
from campaigns.windows import WindowRule
from dialer_console.api_input import query_params_refuse_unknown
from dialer_console.int_bounds import BoundedIntegersSerializer
from vendors.models import VendorAccount

# --- serializers -----------------------------------------------------------------------


class AgentRemoteIdSerializer(serializers.Serializer):
    vendor_account = serializers.PrimaryKeyRelatedField(queryset=VendorAccount.objects.all())
    remote_id = serializers.CharField(max_length=120, allow_blank=True)


class AgentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    extension = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    mobile = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True, default=None
    )
    active = serializers.BooleanField(default=True)
    remote_ids = AgentRemoteIdSerializer(many=True, required=False, source="remote_ids.all")


class DispositionCodeSerializer(BoundedIntegersSerializer, serializers.Serializer):
    bounds_model = DispositionCode

    code = serializers.CharField(max_length=20)
    label = serializers.CharField(max_length=120)
    is_final = serializers.BooleanField(default=False)
    is_success = serializers.BooleanField(default=False)
    is_callback = serializers.BooleanField(default=False)
    is_do_not_call = serializers.BooleanField(default=False)
    retry_after_minutes = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )


class DispositionListSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=150)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    codes = DispositionCodeSerializer(many=True, source="codes.all")


class PauseCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    label = serializers.CharField(max_length=120)


class PauseCodeListSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=150)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    codes = PauseCodeSerializer(many=True, source="codes.all")


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "08:00",
    }
)
class ClockTimeField(serializers.TimeField):
    """A time of day, answered as HH:MM; HH:MM or HH:MM:SS are taken. Documented as a
    pattern, not OpenAPI's ``format: time``, which is RFC 3339's full time with seconds."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class WindowDaySerializer(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=Weekday.choices, help_text="0 = Monday … 6 = Sunday")
    start = ClockTimeField()
    end = ClockTimeField()


class HolidaySerializer(serializers.Serializer):
    date = serializers.DateField()
    label = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


WINDOW_FIELDS = (
    "name",
    "timezone_policy",
    "fixed_timezone",
    "skip_public_holidays",
    "skip_local_weekend",
)


class CallingWindowSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=150)
    timezone_policy = serializers.ChoiceField(
        choices=TimezonePolicy.choices, default=TimezonePolicy.LEAD_LOCAL
    )
    fixed_timezone = serializers.CharField(required=False, allow_blank=True, default="")
    skip_public_holidays = serializers.BooleanField(
        default=False,
        help_text="Not on the public holidays of the lead's country (and US state or "
        "Canadian province, from the area code).",
    )
    skip_local_weekend = serializers.BooleanField(
        default=False, help_text="Not on the weekend days of the lead's country."
    )
    rule = serializers.SerializerMethodField(help_text="The rule the window applies, in words.")
    days = WindowDaySerializer(many=True, source="days.all")
    holidays = HolidaySerializer(many=True, source="holidays.all", required=False)

    def get_rule(self, window: CallingWindow) -> str:
        return WindowRule.of(window).describe()


# --- saving: map validated data to the one service per resource ------------------------


def _nested(data: dict, key: str) -> list[dict]:
    value = data.get(key, {})
    return [dict(row) for row in (value.get("all", []) if isinstance(value, dict) else value)]


def _save_agent(instance: Agent | None, data: dict) -> Agent:
    fields = {k: v for k, v in data.items() if k != "remote_ids"}
    remote_ids = None
    if "remote_ids" in data:
        remote_ids = {
            row["vendor_account"]: row["remote_id"] for row in _nested(data, "remote_ids")
        }
    return services.agent_save(agent=instance, fields=fields, remote_ids=remote_ids)


def _save_disposition_list(instance: DispositionList | None, data: dict) -> DispositionList:
    return services.disposition_list_save(
        disposition_list=instance,
        fields={k: data[k] for k in ("name", "description") if k in data},
        codes=_nested(data, "codes"),
    )


def _save_pause_code_list(instance: PauseCodeList | None, data: dict) -> PauseCodeList:
    return services.pause_code_list_save(
        pause_code_list=instance,
        fields={k: data[k] for k in ("name", "description") if k in data},
        codes=_nested(data, "codes"),
    )


def _save_calling_window(instance: CallingWindow | None, data: dict) -> CallingWindow:
    holidays = (
        _nested(data, "holidays")
        if "holidays" in data or instance is None
        else [{"date": h.date, "label": h.label} for h in instance.holidays.all()]
    )
    return services.calling_window_save(
        calling_window=instance,
        fields={k: data[k] for k in WINDOW_FIELDS if k in data},
        days=_nested(data, "days"),
        holidays=holidays,
    )


# --- views -------------------------------------------------------------------------------


class LibraryApi(APIView):
    model: ClassVar[type[Model]]
    serializer_class: ClassVar[type[serializers.Serializer]]
    save: ClassVar[Callable[[Any, dict], Model]]
    remove: ClassVar[Callable[[Model], None]]
    team_scoped: ClassVar[bool] = False
    nested: ClassVar[tuple[str, ...]] = ()  # relations the serializer lists in each row

    def get_queryset(self) -> QuerySet:
        queryset = self.model.objects.all()
        if self.team_scoped:
            queryset = team_scope(queryset, self.request.user)
        return queryset


class LibraryListApi(LibraryApi):
    pagination_class = PageNumberPagination  # drf-spectacular documents its envelope

    def get(self, request):
        paginator = self.pagination_class()
        query_params_refuse_unknown(request, paginator=paginator)
        # The nested rows of a whole page in one query each, not one a row.
        rows = self.get_queryset().prefetch_related(*self.nested)
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(self.serializer_class(page, many=True).data)

    def post(self, request):
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = type(self).save(None, serializer.validated_data)
        return Response(self.serializer_class(saved).data, status=status.HTTP_201_CREATED)


class LibraryDetailApi(LibraryApi):
    def get(self, request, pk: int):
        return Response(self.serializer_class(get_object_or_404(self.get_queryset(), pk=pk)).data)

    def put(self, request, pk: int):
        return self._update(request, pk, partial=False)

    def patch(self, request, pk: int):
        return self._update(request, pk, partial=True)

    def _update(self, request, pk: int, *, partial: bool):
        instance = get_object_or_404(self.get_queryset(), pk=pk)
        current = self.serializer_class(instance).data
        serializer = self.serializer_class(
            data={**current, **request.data} if partial else request.data
        )
        serializer.is_valid(raise_exception=True)
        saved = type(self).save(instance, serializer.validated_data)
        return Response(self.serializer_class(saved).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        type(self).remove(get_object_or_404(self.get_queryset(), pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _pair(model, serializer_class, save, remove, *, nested: tuple, team_scoped: bool = False):
    name = model.__name__
    attrs = {
        "model": model,
        "nested": nested,
        "serializer_class": serializer_class,
        "save": staticmethod(save),
        "remove": staticmethod(remove),
        "team_scoped": team_scoped,
    }
    list_class = type(f"{name}ListApi", (LibraryListApi,), dict(attrs))
    detail_class = type(f"{name}DetailApi", (LibraryDetailApi,), dict(attrs))
    operation = name.lower()
    list_view = extend_schema_view(
        get=extend_schema(operation_id=f"{operation}_list", responses=serializer_class(many=True)),
        post=extend_schema(request=serializer_class, responses={201: serializer_class}),
    )(list_class)
    detail_view = extend_schema_view(
        get=extend_schema(responses=serializer_class),
        put=extend_schema(request=serializer_class, responses=serializer_class),
        patch=extend_schema(request=serializer_class, responses=serializer_class),
    )(detail_class)
    return list_view.as_view(), detail_view.as_view()


agent_views = _pair(
    Agent,
    AgentSerializer,
    _save_agent,
    lambda obj: services.agent_delete(agent=obj),
    nested=("remote_ids",),
    team_scoped=True,
)
disposition_list_views = _pair(
    DispositionList,
    DispositionListSerializer,
    _save_disposition_list,
    lambda obj: services.disposition_list_delete(disposition_list=obj),
    nested=("codes",),
)
pause_code_list_views = _pair(
    PauseCodeList,
    PauseCodeListSerializer,
    _save_pause_code_list,
    lambda obj: services.pause_code_list_delete(pause_code_list=obj),
    nested=("codes",),
)
calling_window_views = _pair(
    CallingWindow,
    CallingWindowSerializer,
    _save_calling_window,
    lambda obj: services.calling_window_delete(calling_window=obj),
    nested=("days", "holidays"),
)
