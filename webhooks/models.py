"""Outbound webhooks: endpoints owners register, and every delivery and attempt made to them."""

import uuid

from django.conf import settings
from django.db import models


class WebhookEndpoint(models.Model):
    """An HTTPS URL of another system that receives the events it subscribes to."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    url = models.URLField("URL", max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text="Names of the event types it receives.")
    secret_encrypted = models.TextField(
        help_text="The signing secret, encrypted with WEBHOOKS_SECRET_KEYS (Fernet)."
    )
    secret_last4 = models.CharField(max_length=4)
    enabled = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, help_text="When the first of the latest run of failed attempts was."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["url", "id"]
        indexes = [models.Index(fields=["enabled"], name="webhook_endpoint_enabled")]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Retrying"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event for one endpoint: the body sent on every attempt, and where it stands."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The Standard Webhooks message id (`webhook-id`): the same on every retry and resend,
    # so that a receiver can drop a duplicate.
    event_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # event_id first: the dispatch task looks deliveries up by event id.
            models.UniqueConstraint(
                fields=["event_id", "endpoint"], name="webhook_delivery_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} to {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: when, what came back, how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    # The delivery's endpoint again, so that an endpoint's log reads one index.
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="+")
    attempted_at = models.DateTimeField()
    succeeded = models.BooleanField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    resend = models.BooleanField(default=False, help_text="An owner asked for this attempt.")

    class Meta:
        ordering = ["-attempted_at", "-id"]
        indexes = [
            models.Index(fields=["endpoint", "-attempted_at"], name="webhook_attempt_recent")
        ]

    def __str__(self) -> str:
        return f"Attempt on {self.delivery_id} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"
