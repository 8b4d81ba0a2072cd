from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "collectif.api"
    label = "api"
    verbose_name = "API"
