from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "zhulao.posts"
    label = "posts"
    verbose_name = "Posts and recruitment"

    def ready(self) -> None:
        from zhulao.posts import wiring

        wiring.connect()
