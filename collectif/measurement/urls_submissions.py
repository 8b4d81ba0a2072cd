from django.urls import URLPattern, URLResolver, path

from collectif.measurement import views_submissions as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("my-data/", views.steward_home, name="steward_home"),
    path(
        "organisations/<slug:slug>/report/<str:dataset>/<str:period>/",
        views.submission_start,
        name="submission_start",
    ),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/edit/", views.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/send/", views.submission_send, name="submission_send"),
    path("review/", views.review_queue, name="review_queue"),
    *[
        path(
            f"submissions/<int:pk>/{action}/",
            views.submission_review,
            {"action": action},
            name=f"submission_{action}",
        )
        for action in ("approve", "return", "reopen")
    ],
]
