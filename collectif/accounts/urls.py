from django.urls import path

from collectif.accounts import views

app_name = "accounts"

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("invitations/", views.invitation_list, name="invitation_list"),
]
