"""Run a spreadsheet import from the command line, as a named user, through the same services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhulao.core.exceptions import DomainError
from zhulao.core.imports import services


class Command(BaseCommand):
    help = "Import a .xlsx or .csv file of KIND as USERNAME (checked like an upload); prints the counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="the import kind, e.g. persons")
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="username whose roles and scope apply")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username__iexact=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        path: Path = options["path"]
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            job = services.import_start(actor=user, kind=options["kind"], uploaded_file=upload)
            job = services.import_run(job_id=job.pk)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"import {job.public_id}: {job.status}; {job.created_rows} created, {job.updated_rows} updated, "
            f"{job.unchanged_rows} unchanged, {job.error_rows} bad rows of {job.total_rows}"
        )
