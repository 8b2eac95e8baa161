"""JSON shapes of time off for the public API and webhook events."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from time_off.models import Balance, LeaveType, Status, TimeOffRequest, Unit


class LeaveTypeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    unit = serializers.ChoiceField(choices=Unit.choices, read_only=True)

    class Meta:
        model = LeaveType
        fields = [
            "id",
            "name",
            "unit",
            "paid",
            "needs_approval",
            "needs_reason",
            "needs_attachment",
            "private",
            "color",
        ]
        read_only_fields = fields


class BalanceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    employee = serializers.UUIDField(source="employee.public_id", read_only=True)
    leave_type = serializers.UUIDField(source="leave_type.public_id", read_only=True)
    leave_type_name = serializers.CharField(source="leave_type.name", read_only=True)
    unit = serializers.CharField(source="leave_type.unit", read_only=True)
    amount = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True)

    class Meta:
        model = Balance
        fields = ["id", "employee", "leave_type", "leave_type_name", "unit", "amount"]
        read_only_fields = fields


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The file name, to name the download.")
    content_type = serializers.CharField(help_text="application/pdf, image/png or image/jpeg.")
    url = serializers.CharField(help_text="Where to download it (GET, api:read).")


class TimeOffRequestSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    employee = serializers.UUIDField(source="employee.public_id", read_only=True)
    employee_user_name = serializers.CharField(source="employee.user_name", read_only=True)
    leave_type = serializers.UUIDField(source="leave_type.public_id", read_only=True)
    leave_type_name = serializers.CharField(source="leave_type.name", read_only=True)
    approver = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    amount = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)
    hours = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )
    attachment = serializers.SerializerMethodField()

    class Meta:
        model = TimeOffRequest
        fields = [
            "id",
            "employee",
            "employee_user_name",
            "leave_type",
            "leave_type_name",
            "start_date",
            "end_date",
            "starts_at_noon",
            "ends_at_noon",
            "hours",
            "amount",
            "status",
            "note",
            "attachment",
            "approver",
            "decision_comment",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_approver(self, request: TimeOffRequest) -> str | None:
        """The approver's user name; null when HR approves."""
        return request.approver.user_name if request.approver_id else None

    @extend_schema_field(AttachmentSerializer(allow_null=True))
    def get_attachment(self, request: TimeOffRequest) -> dict | None:
        """The attached file; null when there is none or the token's person may not open it
        (and always in webhook events, which go to no person)."""
        from time_off.selectors import user_can_open_attachment

        viewer = self.context.get("viewer")
        if not request.attachment or viewer is None:
            return None
        if not user_can_open_attachment(user=viewer, request=request):
            return None
        return {
            "name": request.attachment_name,
            "content_type": request.attachment_content_type,
            "url": reverse("time-off-request-attachment", kwargs={"id": request.public_id}),
        }


class TimeOffRequestCreateSerializer(serializers.Serializer):
    leave_type = serializers.UUIDField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    starts_at_noon = serializers.BooleanField(default=False)
    ends_at_noon = serializers.BooleanField(default=False)
    hours = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class TimeOffRequestUploadSerializer(TimeOffRequestCreateSerializer):
    """The same fields sent as multipart/form-data, with the file."""

    attachment = serializers.FileField(
        required=False,
        help_text="A PDF, PNG or JPEG of at most 10 MB (what the bytes are, not the name), "
        "required when the leave type needs an attachment.",
    )


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
