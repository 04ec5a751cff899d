"""python manage.py import_leads FILE --list NAME [--user USERNAME] [options]: the same
pipeline as the browser and the API, run in this process with a progress bar.

With ``--user`` the import acts as that user: only their lists can be named or created,
and duplicate detection and update stay within the lists they may see. Without it, the
command acts as the operator, with no team bound (every list, any campaign)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.models import User
from dialer_console.errors import ApplicationError
from leads import selectors, services
from leads.models import DuplicatePolicy, DuplicateScope, ImportJob, LeadList


class Command(BaseCommand):
    help = (
        "Import a CSV, TSV or xlsx file of leads into a lead list. With --user the import "
        "acts as that user (their lists only; duplicates looked for and updated only in "
        "lists they may see). Without --user it acts as the operator: any list, and the "
        "duplicate scope is unbounded by team."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--list", required=True, dest="list_name", help="Lead list name")
        parser.add_argument("--create", action="store_true", help="Create the list if missing")
        parser.add_argument(
            "--user",
            dest="username",
            help="Act as this user, within their team's lists (default: the operator, "
            "unrestricted)",
        )
        parser.add_argument("--encoding", help="Override the detected encoding")
        parser.add_argument("--delimiter", help="Override the detected delimiter")
        parser.add_argument("--no-header", action="store_true", help="The file has no header row")
        parser.add_argument(
            "--mapping", help='JSON list, one target per column, e.g. ["phone","first_name"]'
        )
        parser.add_argument("--country", help="Default country for national numbers")
        parser.add_argument("--duplicates", choices=DuplicatePolicy.values, default="skip")
        parser.add_argument("--scope", choices=DuplicateScope.values, default="list")
        parser.add_argument("--campaign", type=int, help="Campaign id for --scope campaign")
        parser.add_argument("--no-dnc", action="store_true", help="Do not scrub against DNC")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = self._acting_user(options["username"])
        try:
            lead_list = self._lead_list(options, user)
            job = self._create_job(path, lead_list, user, options["country"] or "")
            self._configure(job, options, user)
            services.import_job_start(job=job, enqueue=False)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        job = self._run(job, show_progress=not options["no_progress"])
        self._report(job)

    def _acting_user(self, username: str | None) -> User | None:
        if username is None:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        if not user.has_perm("leads.add_importjob"):
            raise CommandError(f"{username!r} may not import leads.")
        return user

    def _lead_list(self, options, user: User | None) -> LeadList:
        name = options["list_name"]
        lists = LeadList.objects.all() if user is None else selectors.lead_lists_visible(user=user)
        lead_list = lists.filter(name=name).first()
        if lead_list is not None:
            return lead_list
        if not options["create"]:
            raise CommandError(f"No lead list named {name!r} (use --create).")
        if user is None:
            return LeadList.objects.create(name=name)
        return services.lead_list_create(data={"name": name}, acting_user=user)

    def _create_job(
        self, path: Path, lead_list: LeadList, user: User | None, country: str
    ) -> ImportJob:
        with path.open("rb") as source:
            upload = TemporaryUploadedFile(path.name, "application/octet-stream", 0, None)
            while chunk := source.read(1024 * 1024):
                upload.write(chunk)
            upload.size = upload.tell()
            upload.seek(0)
        try:
            return services.import_job_create(
                lead_list=lead_list, upload=upload, acting_user=user, default_country=country
            )
        finally:
            # Storage may have moved the temporary file into place already.
            with contextlib.suppress(FileNotFoundError):
                upload.close()

    def _configure(self, job: ImportJob, options, user: User | None) -> None:
        if options["encoding"] or options["delimiter"] or options["no_header"]:
            services.import_job_reread(
                job=job,
                encoding=options["encoding"] or job.encoding,
                delimiter=options["delimiter"] or job.delimiter,
                has_header=not options["no_header"],
            )
        mapping = json.loads(options["mapping"]) if options["mapping"] else job.mapping
        self._print_columns(job, mapping)
        services.import_job_configure(
            job=job,
            mapping=mapping,
            default_country=options["country"] or job.lead_list.default_country,
            duplicate_policy=options["duplicates"],
            duplicate_scope=options["scope"],
            scope_campaign_id=options["campaign"],
            dnc_scrub=not options["no_dnc"],
            acting_user=user,
        )

    def _print_columns(self, job: ImportJob, mapping: list[str]) -> None:
        """Each column's target, and for a suggested one where it came from, so that a
        column found by its content can be checked before the leads go in."""
        self.stdout.write("Columns:")
        suggestions = services.import_mapping_suggestions(job=job)
        for suggestion, target in zip(suggestions, mapping, strict=False):
            how = f" ({suggestion.note})" if suggestion.note and target == suggestion.target else ""
            self.stdout.write(f"  {suggestion.column} → {target}{how}")

    def _run(self, job: ImportJob, show_progress: bool) -> ImportJob:
        bar = tqdm(total=job.rows_total, unit="rows", disable=not show_progress)

        def on_progress(current: ImportJob) -> None:
            bar.total = max(bar.total or 0, current.rows_read)
            bar.update(current.rows_read - bar.n)

        try:
            finished = services.lead_import_run(job_id=job.pk, on_progress=on_progress)
        finally:
            bar.close()
        if finished is None:
            raise CommandError("The job was taken by another worker.")
        return finished

    def _report(self, job: ImportJob) -> None:
        if job.state != "done":
            raise CommandError(f"Import {job.pk} {job.state}: {job.error_message}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Import {job.pk} done: {job.imported_count:,} imported, "
                f"{job.updated_count:,} updated, {job.duplicate_count:,} duplicates, "
                f"{job.invalid_phone_count:,} invalid phone, {job.dnc_count:,} DNC, "
                f"{job.malformed_count:,} malformed."
            )
        )
