"""URL map: each app's urls, the API and the language switch."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from zhulao.api.urls import urls as api_urls
from zhulao.eldercare.urls import emergency_patterns

urlpatterns = [
    path("", include("zhulao.core.urls")),
    path("accounts/", include("zhulao.accounts.urls")),
    path("regions/", include("zhulao.regions.urls")),
    path("policy/", include("zhulao.policy.urls")),
    path("people/", include("zhulao.people.urls")),
    path("recruitment/", include("zhulao.posts.urls")),
    path("care/", include("zhulao.eldercare.urls")),
    path("care/emergencies/", include(emergency_patterns)),
    path("v/", include("zhulao.eldercare.public_urls")),
    path("public/", include("zhulao.posts.public_urls")),
    path("imports/", include("zhulao.core.imports.urls")),
    path("api/v1/", api_urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]

handler403 = "zhulao.core.views.error_403"
handler404 = "zhulao.core.views.error_404"
handler500 = "zhulao.core.views.error_500"
