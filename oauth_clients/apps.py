from django.apps import AppConfig


class OAuthClientsConfig(AppConfig):
    name = "oauth_clients"
    verbose_name = "OAuth clients"
