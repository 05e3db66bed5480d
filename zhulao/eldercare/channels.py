"""Outbound channels behind the outbox. Email (Django's mail backend) by default; an SMS gateway adapter
implements the same ``send`` and is named in ``settings.ZHULAO_SMS_GATEWAY`` (a dotted path)."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string


class Channel(Protocol):
    def send(self, *, to: str, subject: str, body: str) -> None: ...


class EmailChannel:
    def send(self, *, to: str, subject: str, body: str) -> None:
        send_mail(subject, body, None, [to], fail_silently=False)


class SmsGatewayNotConfigured:
    """The SMS adapter in force until a gateway is configured: it refuses, so messages stay queued."""

    def send(self, *, to: str, subject: str, body: str) -> None:
        raise RuntimeError("No SMS gateway is configured (ZHULAO_SMS_GATEWAY).")


def get(name: str) -> Channel:
    if name == "email":
        return EmailChannel()
    if name == "sms":
        path = getattr(settings, "ZHULAO_SMS_GATEWAY", "")
        return import_string(path)() if path else SmsGatewayNotConfigured()
    raise LookupError(name)
