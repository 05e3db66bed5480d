"""Act on an emergency as a named user, through the same services as the pages and the API: for operators
on a server without a browser. ``manage.py emergency acknowledge <public_id> --user NAME [--note …]``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from zhulao.core.exceptions import DomainError
from zhulao.eldercare import selectors
from zhulao.eldercare.services import emergencies


class Command(BaseCommand):
    help = "Acknowledge, refer (120/110) or close an emergency as USER, with that user's roles and scope."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("act", choices=["acknowledge", "refer", "close"])
        parser.add_argument("public_id", type=UUID)
        parser.add_argument("--user", required=True, help="username whose roles and scope apply")
        parser.add_argument("--note", default="", help="a note; for close, the outcome (required)")
        parser.add_argument("--service", choices=["120", "110"], help="for refer: which service was called")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username__iexact=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        act, note = options["act"], options["note"]
        try:
            emergency = selectors.get_emergency_for_user(user, options["public_id"])
            if act == "acknowledge":
                emergency = emergencies.emergency_acknowledge(actor=user, emergency=emergency, note=note)
            elif act == "refer":
                if not options["service"]:
                    raise CommandError("refer needs --service 120 or --service 110")
                emergency = emergencies.emergency_refer(
                    actor=user, emergency=emergency, service=options["service"], note=note
                )
            else:
                emergency = emergencies.emergency_close(actor=user, emergency=emergency, outcome=note)
        except Http404 as exc:
            raise CommandError("No such emergency in this user's reach.") from exc
        except (DomainError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        state = "closed" if emergency.closed_at else "acknowledged" if emergency.acknowledged_at else "open"
        self.stdout.write(f"emergency {emergency.public_id}: {act} recorded; now {state}, level {emergency.level}")
