"""JSON shapes of time off for the public API and webhook events."""

from __future__ import annotations

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
            "approver",
            "decision_comment",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_approver(self, request: TimeOffRequest) -> str | None:
        """The approver's user name; null when HR approves."""
        return request.approver.user_name if request.approver_id else None


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


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
