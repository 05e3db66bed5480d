"""Test settings: the real settings, made fast (fast hasher, immediate tasks)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("ZHULAO_AUDIT_KEY", "test-audit-key-0123456789")
os.environ.setdefault("ZHULAO_PII_KEY", "dGVzdC1waWkta2V5LTAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nw")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
# Plain static storage: templates link static/ as it is, no collectstatic manifest needed. The browser
# tests' server builds and serves the real files (zhulao/core/testing/browser.py).
os.environ.setdefault("ZHULAO_STATIC_BUILT", "0")

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
