"""Back up and restore the whole platform: the database and the files (uploads, generated documents).

One archive (``.tar.gz``) holds ``manifest.json``, the database and ``media/``:

- SQLite: a consistent copy made with SQLite's online backup API while the server runs;
- PostgreSQL: ``pg_dump --format=custom`` (the client tools of the server's major version);
- ``media/``: every file under ``MEDIA_ROOT`` (attachments, business plans, contract and report PDFs).

The manifest records the engine, the time, the applied migrations and a SHA-256 of every member; a
restore checks them all before it touches anything. A restore replaces the database in one step (the
SQLite backup API, or ``pg_restore --single-transaction``) and swaps the media folder in by renaming,
keeping the previous one beside it, so a failed restore leaves the platform as it was.

Search and vector indexes are not in the archive: they are derived data, rebuilt by
``manage.py rebuild_index`` after a restore.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    engine: str
    media_files: int
    size: int


def engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor})
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_args(tool: str) -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = [tool]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    args += ["--dbname", str(s["NAME"]), "--no-password"]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _run(args: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            _("%(tool)s was not found: install the PostgreSQL client tools (postgresql-client).")
            % {"tool": args[0]}
        ) from exc
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s") % {"tool": args[0], "error": done.stderr.strip()[-2000:]}
        )
    return done.stdout


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name").order_by("id"):
        latest[app] = name
    return latest


def _dump_database(workdir: Path) -> str:
    kind = engine()
    if kind == "sqlite":
        target = workdir / SQLITE_MEMBER
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)  # a consistent copy, even while others write
        finally:
            dest.close()
        return SQLITE_MEMBER
    args, env = _pg_args("pg_dump")
    _run([*args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(workdir / PG_MEMBER)], env)
    return PG_MEMBER


def create_backup(output_dir: Path | str, *, media_root: Path | str | None = None) -> BackupResult:
    """Write one archive of the database and the media files into ``output_dir``; returns where."""
    kind = engine()
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    media = Path(media_root or settings.MEDIA_ROOT)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = out / f"techbridge-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(dir=out, prefix=".backup-") as tmp:
        work = Path(tmp)
        db_member = _dump_database(work)
        files: dict[str, str] = {db_member: _sha256(work / db_member)}
        media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        for path in media_files:
            files[MEDIA_PREFIX + path.relative_to(media).as_posix()] = _sha256(path)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": kind,
            "database": db_member,
            "migrations": _applied_migrations(),
            "media_files": len(media_files),
            "sha256": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            tar.add(work / db_member, arcname=db_member)
            for path in media_files:
                tar.add(path, arcname=MEDIA_PREFIX + path.relative_to(media).as_posix())
        os.replace(partial, final)  # the archive appears whole or not at all
    return BackupResult(final, kind, len(media_files), final.stat().st_size)


# ---- restore ---------------------------------------------------------------------------------


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for m in tar.getmembers():
        name = m.name
        if m.issym() or m.islnk() or name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(_("The archive contains an unsafe path: %(name)s") % {"name": name})
        if m.isfile():
            members.append(m)
    return members


def read_archive(archive: Path | str, workdir: Path) -> dict[str, Any]:
    """Unpack and check an archive; returns its manifest. Raises ``BackupError`` for anything wrong."""
    path = Path(archive)
    if not path.is_file():
        raise BackupError(_("No backup file at %(path)s.") % {"path": path})
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = _safe_members(tar)
            tar.extractall(workdir, members=members, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(
            _("%(name)s is not a TechBridge backup archive (%(error)s).") % {"name": path.name, "error": exc}
        ) from exc
    try:
        manifest = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(_("The archive has no readable manifest.")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("The archive's format is not one this version can restore."))
    expected: dict[str, str] = manifest.get("sha256") or {}
    present = {m.relative_to(workdir).as_posix() for m in workdir.rglob("*") if m.is_file()} - {MANIFEST}
    if set(expected) != present:
        raise BackupError(_("The archive is incomplete or has files the manifest does not list."))
    for name, digest in expected.items():
        if _sha256(workdir / name) != digest:
            raise BackupError(_("%(name)s in the archive is damaged (checksum mismatch).") % {"name": name})
    return manifest


def _restore_database(manifest: dict[str, Any], workdir: Path) -> None:
    kind = engine()
    if manifest.get("engine") != kind:
        raise BackupError(
            _("This is a %(backup)s backup; the platform runs on %(current)s. Restore it into %(backup)s.")
            % {"backup": manifest.get("engine"), "current": kind}
        )
    dump = workdir / str(manifest["database"])
    if kind == "sqlite":
        connection.close()
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)  # replaces every page in one step
        finally:
            source.close()
        connection.close()
        return
    connection.close()
    args, env = _pg_args("pg_restore")
    listing = _run(["pg_restore", "--list", str(dump)], env)
    # Extensions (pgvector) belong to the database administrator and stay as they are.
    kept = "\n".join(line for line in listing.splitlines() if " EXTENSION " not in line)
    toc = workdir / "restore.list"
    toc.write_text(kept, encoding="utf-8")
    _run(
        [
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--use-list",
            str(toc),
            str(dump),
        ],
        env,
    )


def _restore_media(workdir: Path, media_root: Path) -> Path | None:
    """Swap the archive's media folder in; returns where the previous one was kept (or None)."""
    incoming = workdir / "media"
    incoming.mkdir(exist_ok=True)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".media-restore-"))
    shutil.rmtree(staged)
    shutil.copytree(incoming, staged)
    previous = None
    if media_root.exists():
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        previous = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        os.replace(media_root, previous)
    os.replace(staged, media_root)
    return previous


@dataclass
class RestoreResult:
    engine: str
    created_at: str
    media_files: int
    previous_media: Path | None


def restore_backup(archive: Path | str, *, media_root: Path | str | None = None) -> RestoreResult:
    """Restore the database and the media files from an archive made by ``create_backup``.

    Everything is checked first (format, checksums, engine); the database is replaced in one step,
    then the media folder is swapped in, the previous one kept beside it.
    """
    media = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="techbridge-restore-") as tmp:
        work = Path(tmp)
        manifest = read_archive(archive, work)
        _restore_database(manifest, work)
        previous = _restore_media(work, media)
    return RestoreResult(
        engine=str(manifest["engine"]),
        created_at=str(manifest["created_at"]),
        media_files=int(manifest.get("media_files") or 0),
        previous_media=previous,
    )
