"""Erasing a person over REST, for supervisors: search (POST, so the number is in no URL
or access log), erase, read an erasure's record. The same services as the page."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from privacy import services
from privacy.models import PersonErasure

ERASE = ("privacy.view_personerasure", "privacy.add_personerasure")
SUPERVISORS = "Supervisors only."


class PersonInput(serializers.Serializer):
    class Meta:
        ref_name = "PrivacyPersonInput"

    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    country = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2,
        help_text="ISO country code to read a national number with.",
    )
    email = serializers.CharField(required=False, allow_blank=True, default="", max_length=254)


class EraseInput(PersonInput):
    class Meta:
        ref_name = "PrivacyEraseInput"

    dnc = serializers.BooleanField(
        default=False,
        help_text="Keep the person's numbers on the do-not-call list as keyed hashes only "
        "(numbers listed before stay blocked this way in any case).",
    )


class LeadFound(serializers.Serializer):
    class Meta:
        ref_name = "PrivacyLeadFound"

    id = serializers.IntegerField()
    lead_list = serializers.IntegerField(source="lead_list_id")
    lead_list_name = serializers.CharField(source="lead_list.name")
    phone = serializers.CharField()
    alternate_phones = serializers.JSONField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.CharField()
    custom_fields = serializers.JSONField()
    status = serializers.CharField()
    call_attempts = serializers.IntegerField(source="attempts_count")
    results = serializers.SerializerMethodField()
    dialers = serializers.SerializerMethodField()

    def get_results(self, lead) -> list[dict]:
        return [
            {
                "campaign": result.campaign_id,
                "attempts": result.attempts,
                "last_result": result.last_result_raw,
                "done": result.done,
            }
            for result in lead.results.all()
        ]

    def get_dialers(self, lead) -> list[dict]:
        return [{"campaign": row.campaign_id, "state": row.state} for row in lead.syncs.all()]


class FindingsOutput(serializers.Serializer):
    class Meta:
        ref_name = "PrivacyFindings"

    leads = LeadFound(many=True)
    numbers = serializers.ListField(child=serializers.CharField())
    rows = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Other rows holding the person, per table (“app.Model”): deleted or "
        "scrubbed by an erasure.",
    )


class ErasureOutput(serializers.ModelSerializer):
    class Meta:
        model = PersonErasure
        ref_name = "PrivacyErasure"
        fields = [
            "id", "requested_by", "created_at", "finished_at", "state", "searched_by",
            "dnc_listed", "counts",
        ]  # fmt: skip


def _person(request) -> services.Person:
    data = PersonInput(data=request.data)
    data.is_valid(raise_exception=True)
    return services.person_read(**data.validated_data)


class PersonSearchApi(APIView):
    required_permissions = ERASE

    @extend_schema(
        operation_id="privacy_search",
        summary="Find everything held about a person",
        description="By number (read as imports read it; ``country`` for a national number) "
        "and/or e-mail address, across every lead list: the leads with their fields, "
        "results and dialers, and the other rows holding them. Nothing is changed. " + SUPERVISORS,
        request=PersonInput,
        responses=FindingsOutput,
    )
    def post(self, request):
        findings = services.person_findings(_person(request), user=request.user)
        return Response(FindingsOutput(findings).data)


class ErasureCollectionApi(APIView):
    required_permissions = ERASE

    @extend_schema(
        operation_id="privacy_erase",
        summary="Erase a person",
        description="Erase everything held about the person found as by the search: leads "
        "emptied (rows kept for counts), dialers told to drop them, rows naming them "
        "deleted, logs scrubbed. The record is ``waiting`` until every dialer dropped the "
        "leads, then ``done``. Cannot be undone. " + SUPERVISORS,
        request=EraseInput,
        responses={201: ErasureOutput},
    )
    def post(self, request):
        data = EraseInput(data=request.data)
        data.is_valid(raise_exception=True)
        params = dict(data.validated_data)
        dnc = params.pop("dnc")
        erasure = services.person_erase(
            person=services.person_read(**params), acting_user=request.user, dnc=dnc
        )
        return Response(ErasureOutput(erasure).data, status=status.HTTP_201_CREATED)


class ErasureItemApi(APIView):
    required_permissions = ("privacy.view_personerasure",)

    @extend_schema(
        operation_id="privacy_erasure_read",
        summary="Read an erasure's record",
        description="Who erased, when, its state and the rows per table; never whom. "
        + SUPERVISORS,
        responses=ErasureOutput,
    )
    def get(self, request, pk: int):
        return Response(ErasureOutput(get_object_or_404(PersonErasure, pk=pk)).data)
