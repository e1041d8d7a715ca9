"""manage.py backup / restore: a round trip of the database and the files, on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from techbridge.achievements.models import Achievement
from techbridge.achievements.models import AchievementAttachment as Attachment
from techbridge.core import backup
from techbridge.organizations.models import Organization
from techbridge.testing.factories.achievements import AchievementFactory

# The restore replaces the whole database, so these tests commit for real (and the suite's seeded
# data comes back afterwards through serialized_rollback).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def archive_of(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    path = Path(out.getvalue().split(" (")[0])
    assert path.is_file() and path.name.startswith("techbridge-backup-")
    return path


def test_a_restore_brings_back_the_records_and_the_files_as_they_were(media_root, tmp_path):
    kept = AchievementFactory(title="备份前的成果")
    attachment = Attachment(achievement=kept, name="说明书.pdf", size=20)
    attachment.file.save("说明书.pdf", ContentFile(b"%PDF-1.4 backup test"), save=True)
    stored = Path(attachment.file.path)
    archive = archive_of(tmp_path)

    # After the backup: a record is deleted, one is added, and a file is lost.
    Achievement.objects.filter(pk=kept.pk).delete()
    AchievementFactory(title="备份后才有的成果")
    stored.unlink()

    call_command("restore", str(archive), "--yes", stdout=io.StringIO())

    assert list(Achievement.objects.values_list("title", flat=True)) == ["备份前的成果"]
    restored = Attachment.objects.get()
    assert Path(restored.file.path).read_bytes() == b"%PDF-1.4 backup test"
    assert Organization.objects.filter(pk=kept.owner_id).exists()


def test_the_manifest_names_the_engine_and_a_checksum_per_member(media_root, tmp_path, django_db_setup):
    from django.db import connection

    (media_root / "reports").mkdir()
    (media_root / "reports" / "年报.pdf").write_bytes(b"%PDF annual")
    archive = archive_of(tmp_path)

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["engine"] == connection.vendor
    assert manifest["media_files"] == 1
    assert set(manifest["sha256"]) | {"manifest.json"} == names
    assert "media/reports/年报.pdf" in names
    assert manifest["migrations"]["achievements"]


def test_a_damaged_archive_is_refused_and_nothing_is_touched(media_root, tmp_path):
    AchievementFactory(title="不应被动的成果")
    archive = archive_of(tmp_path)
    (media_root / "现有文件.txt").write_text("仍在", encoding="utf-8")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["sha256"][manifest["database"]] = "0" * 64
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))

    with pytest.raises(CommandError, match=r"checksum|校验"):
        call_command("restore", str(damaged), "--yes", stdout=io.StringIO())

    assert Achievement.objects.filter(title="不应被动的成果").exists()
    assert (media_root / "现有文件.txt").read_text(encoding="utf-8") == "仍在"


def test_an_archive_with_a_path_outside_the_folder_is_refused(media_root, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        data = b"x"
        info = tarfile.TarInfo("../../outside.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))

    with pytest.raises(backup.BackupError):
        backup.restore_backup(evil)
    assert not (tmp_path.parent / "outside.txt").exists()


def test_a_file_that_is_not_an_archive_gets_a_message(tmp_path):
    junk = tmp_path / "notes.tar.gz"
    junk.write_text("not a backup", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("restore", str(junk), "--yes", stdout=io.StringIO())
