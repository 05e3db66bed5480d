from django.urls import path

from zhulao.eldercare import public

app_name = "family"
urlpatterns = [path("<str:token>/", public.confirm, name="confirm")]
