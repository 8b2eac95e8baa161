from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.module_loading import import_string

from accounts.views import SignOutView

app_name = "accounts"


class SignInView(auth_views.LoginView):
    """The password sign-in page. Its form is chosen in settings (SIGN_IN_FORM): single sign-on
    adds its rules there, and accounts, which single sign-on builds on, does not import it."""

    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_form_class(self):
        return import_string(settings.SIGN_IN_FORM)


urlpatterns = [
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    path("sign-out/", SignOutView.as_view(), name="sign-out"),
]
