"""Public API routes of time off, under /api/v1/time-off/ (mounted before the API's catch-all)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from time_off import api

router = SimpleRouter()
router.register("leave-types", api.LeaveTypeViewSet, basename="time-off-leave-type")
router.register("balances", api.BalanceViewSet, basename="time-off-balance")
router.register("requests", api.TimeOffRequestViewSet, basename="time-off-request")

urlpatterns = [path("", include(router.urls))]
