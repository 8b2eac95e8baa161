from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import SignOutView
from sso.forms import SignInForm

app_name = "accounts"

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="sign-in",
    ),
    path("sign-out/", SignOutView.as_view(), name="sign-out"),
]
