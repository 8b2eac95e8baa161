from django.urls import path

from time_off import views

app_name = "time_off"

urlpatterns = [
    path("", views.my_time_off, name="mine"),
    path("new/", views.request_new, name="new"),
    path("requests/<uuid:public_id>/", views.request_detail, name="request"),
    path(
        "requests/<uuid:public_id>/attachment/",
        views.request_attachment,
        name="request-attachment",
    ),
    path("requests/<uuid:public_id>/decide/", views.request_decide, name="decide"),
    path("requests/<uuid:public_id>/cancel/", views.request_cancel, name="cancel"),
    path("balances/<uuid:public_id>/", views.balance_detail, name="balance"),
    path("people/<uuid:public_id>/", views.person, name="person"),
    path("people/<uuid:public_id>/policies/", views.person_policies, name="person-policies"),
    path("team/", views.team, name="team"),
    path("calendar/", views.absence_calendar, name="calendar"),
    path("feed/new/", views.feed_new, name="feed-new"),
    path("feed/revoke/", views.feed_revoke, name="feed-revoke"),
    path("feed/<str:secret>.ics", views.feed, name="feed"),
    path("colours.css", views.leave_type_colours, name="colours"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/leave-types/new/", views.leave_type_edit, name="leave-type-new"),
    path("settings/leave-types/<int:pk>/", views.leave_type_edit, name="leave-type-edit"),
    path("settings/policies/new/", views.policy_edit, name="policy-new"),
    path("settings/policies/<int:pk>/", views.policy_edit, name="policy-edit"),
    path("settings/holidays/<int:location_id>/", views.holidays, name="holidays"),
    path("reports/", views.reports, name="reports"),
    path("reports/balances.csv", views.report_balances, name="report-balances"),
    path("reports/taken.csv", views.report_taken, name="report-taken"),
]
