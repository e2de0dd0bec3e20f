"""Backup and restore: the database and every stored file, with a manifest of hashes.

A backup is a folder: ``database.dump`` (PostgreSQL, from ``pg_dump``'s custom format) or
``database.sqlite`` (SQLite's online backup API, safe while the app runs), ``files/`` with
every file a row names in the store by SHA-256 (evidence, and the frozen files of issued
plan versions), and ``manifest.json`` naming each with its hash and type. Files are
never changed nor deleted and are stored before the rows that name them, so listing them
after the database is dumped gives every file the dump names (and perhaps a few newer).

A restore goes into an empty database and store only: it never merges into live data.
Each file is checked against its name before it is stored and read back after.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from workflow.core.errors import RuleError
from workflow.core.storage import (
    CHUNK,
    RESTORE_PREFIX,
    Store,
    file_sha256,
    path_for,
    storage_errors,
)
from workflow.extensions import db
from workflow.models import Evidence, PlanVersion
from workflow.models.plan import FROZEN_FORMATS, FROZEN_TYPES

MANIFEST = "manifest.json"
FORMAT = 1


@dataclass
class Outcome:
    database: str
    files: int
    problems: list[str] = field(default_factory=list)


def backup(target: Path, store: Store, with_files: bool = True) -> Outcome:
    """Write a backup of the database and the store into an empty folder."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise RuleError(f"{target} is not empty: back up into a new folder")
    engine = db.engine
    database = _dump(engine.url, target)
    named = stored_files()
    db.session.rollback()
    files, problems = [], []
    for digest, content_type in sorted(named.items()):
        copied = _copy_out(store, digest, target / "files") if with_files else None
        if with_files and copied is None:
            problems.append(f"{digest}: missing from the store or not matching its SHA-256")
            continue
        files.append({"sha256": digest, "size": copied, "content_type": content_type})
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {
            "dialect": engine.dialect.name,
            "file": database,
            "sha256": _hash(target / database),
        },
        "files_included": with_files,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return Outcome(database, len(files), problems)


def restore(source: Path, store: Store) -> Outcome:
    """Bring a backup back into this app's empty database and store."""
    manifest = read_manifest(source)
    engine = db.engine
    if manifest["database"]["dialect"] != engine.dialect.name:
        raise RuleError(
            f"This backup is of a {manifest['database']['dialect']} database, "
            f"not {engine.dialect.name}"
        )
    if sa.inspect(engine).get_table_names():
        raise RuleError("The database is not empty: restore into a new, empty database")
    if next(iter(store.digests()), None) is not None:
        raise RuleError("The evidence store is not empty: restore into a new, empty store")
    database = source / manifest["database"]["file"]
    if _hash(database) != manifest["database"]["sha256"]:
        raise RuleError("The database file does not match the manifest's SHA-256")
    _load(engine.url, database)
    problems = []
    if manifest["files_included"]:
        for item in manifest["files"]:
            # Backups from before types were listed held evidence only: its rows say.
            content_type = item.get("content_type") or _evidence_type(item["sha256"])
            problems += _copy_in(source / "files", item["sha256"], content_type, store)
    return Outcome(manifest["database"]["file"], len(manifest["files"]), problems)


def stored_files() -> dict[str, str]:
    """Every file a row names in the store, with the type it is kept as: evidence files, and
    the frozen files of issued plan versions."""
    files = dict(
        db.session.execute(
            sa.select(Evidence.sha256, Evidence.content_type).where(Evidence.sha256.is_not(None))
        ).all()
    )
    columns = [getattr(PlanVersion, f"{fmt}_sha256") for fmt in FROZEN_FORMATS]
    for row in db.session.execute(sa.select(*columns)):
        for fmt, digest in zip(FROZEN_FORMATS, row, strict=True):
            if digest:
                files.setdefault(digest, FROZEN_TYPES[fmt])
    return files


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError):
        raise RuleError(f"{source} holds no readable {MANIFEST}: is it a backup?") from None
    if manifest.get("format") != FORMAT:
        raise RuleError(f"{source} is a backup of another format ({manifest.get('format')})")
    return manifest


def _dump(url: sa.URL, target: Path) -> str:
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(url.database, target / "database.sqlite")
        return "database.sqlite"
    if url.get_backend_name() != "postgresql":
        raise RuleError(f"Backups of {url.get_backend_name()} databases are not supported")
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
    _run([*command, "--file", str(target / "database.dump"), _libpq(url)], url)
    return "database.dump"


def _load(url: sa.URL, database: Path) -> None:
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(database, url.database)
        return
    # Nothing needs lifting for the audit trail's triggers: they only refuse UPDATE, DELETE
    # and TRUNCATE, and pg_restore creates them after it has loaded the rows anyway.
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    _run([*command, "--dbname", _libpq(url), str(database)], url)


def _sqlite_copy(source: str | Path, target: str | Path) -> None:
    # The online backup API: a consistent copy even while the app writes.
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


def _libpq(url: sa.URL) -> str:
    """The URL for the PostgreSQL tools: no driver name, and no password (that goes by env)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(command: list[str], url: sa.URL) -> None:
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuleError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


def _copy_out(store: Store, digest: str, folder: Path) -> int | None:
    """Copy one stored file into the backup, checking its hash; its size, or None."""
    final = path_for(folder, digest)
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=".copy-")
    sha, size = hashlib.sha256(), 0
    try:
        with os.fdopen(handle, "wb") as out, store.open(digest) as stream:
            while chunk := stream.read(CHUNK):
                sha.update(chunk)
                size += len(chunk)
                out.write(chunk)
        if sha.hexdigest() != digest:
            return None
        os.replace(temporary, final)
    except LookupError:
        return None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return size


def _copy_in(folder: Path, digest: str, content_type: str, store: Store) -> list[str]:
    source = path_for(folder, digest)
    if not source.is_file():
        return [f"{digest}: not in the backup"]
    if _hash(source) != digest:
        return [f"{digest}: the backup's file does not match its SHA-256"]
    with storage_errors():
        handle, temporary = tempfile.mkstemp(dir=store.staging_folder(), prefix=RESTORE_PREFIX)
        os.close(handle)
        try:
            shutil.copyfile(source, temporary)
            store.put(digest, Path(temporary), content_type)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    with store.open(digest) as stream:
        if file_sha256(stream) != digest:
            return [f"{digest}: the restored file does not match its SHA-256"]
    return []


def _evidence_type(digest: str) -> str:
    found = db.session.scalar(
        sa.select(Evidence.content_type).where(Evidence.sha256 == digest).limit(1)
    )
    db.session.rollback()
    return found or "application/octet-stream"


def _hash(path: Path) -> str:
    with path.open("rb") as stream:
        return file_sha256(stream)
