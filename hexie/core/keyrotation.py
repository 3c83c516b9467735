"""Key rotation for personal data: move every encrypted value and file to the newest PII key, and
recompute the lookup hashes when the HMAC key changes (``manage.py rotate_pii_keys``).

Set ``PII_KEY=new,old`` (newest first): the application keeps reading everything, and new values
are written under the new key. This module then re-encrypts, in chunks of rows each committed on
its own, every ``EncryptedTextField`` column of every model, every file under MEDIA_ROOT (its file key
is rewrapped; a file still in clear is encrypted), and whatever an upper app registers (the
monitoring lake's card tokens). A value already under the newest key is skipped, so a run that
stops half-way is resumed by running it again. With ``PII_HMAC_OLD_KEY`` set to the replaced HMAC
key, the lookup columns (:data:`LOOKUPS`) are recomputed from the decrypted values with the new
one. Each run is recorded in the audit log. Once it has finished, the old keys can be removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.utils.translation import gettext

from hexie.core import audit
from hexie.crypto import cipher
from hexie.crypto.fields import EncryptedTextField

# Lookup hash columns and the encrypted column each is the hash of (app_label.model, value, hash).
LOOKUPS: list[tuple[str, str, str]] = [
    ("employers.worker", "id_number", "id_hash"),
    ("cases.case", "complainant_phone", "complainant_phone_hash"),
    ("cases.case", "complainant_id_number", "complainant_id_hash"),
]

# Rotators of upper apps (name → function(report) returning how many things it re-encrypted).
EXTRA: dict[str, Callable[[], int]] = {}


def register(name: str, rotator: Callable[[], int]) -> None:
    """An upper app's encrypted data outside the database (called from its AppConfig.ready)."""
    EXTRA[name] = rotator


@dataclass
class Report:
    values: dict[str, int] = field(default_factory=dict)
    hashes: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    extra: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [gettext("%(n)s 个值") % {"n": sum(self.values.values())},
                 gettext("%(n)s 个查询摘要") % {"n": sum(self.hashes.values())},
                 gettext("%(n)s 个文件") % {"n": sum(self.files.values())}]
        parts += [f"{n} {name}" for name, n in self.extra.items()]
        return gettext("，").join(parts)


def encrypted_columns() -> list[tuple[type[models.Model], EncryptedTextField]]:
    return [(m, f) for m in apps.get_models() for f in m._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def _chunks(model: type[models.Model], columns: list[str], chunk: int) -> Any:
    """Rows (pk, raw values…) in pk order, a chunk at a time, read without decrypting."""
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    cols = ", ".join(qn(c) for c in columns)
    last: Any = None
    while True:
        where = f"WHERE {pk} > %s " if last is not None else ""
        with connection.cursor() as cur:
            cur.execute(f"SELECT {pk}, {cols} FROM {table} {where}ORDER BY {pk} LIMIT %s",  # noqa: S608 - names quoted
                        [last, chunk] if last is not None else [chunk])
            rows = cur.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def rotate_column(model: type[models.Model], column: str, *, chunk: int = 1000) -> int:
    """Re-encrypt one column under the newest key; returns how many values changed."""
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    changed = 0
    for rows in _chunks(model, [column], chunk):
        updates = [(cipher.rotate(value), key) for key, value in rows
                   if value and cipher.is_token(value) and not cipher.is_current(value)]
        if updates:
            with transaction.atomic(), connection.cursor() as cur:
                cur.executemany(f"UPDATE {table} SET {qn(column)} = %s WHERE {pk} = %s", updates)  # noqa: S608
            changed += len(updates)
    return changed


def rehash_column(model: type[models.Model], value_column: str, hash_column: str, *, chunk: int = 1000) -> int:
    """Recompute a lookup hash column with the current HMAC key; returns how many changed."""
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    changed = 0
    for rows in _chunks(model, [value_column, hash_column], chunk):
        updates = []
        for key, token, old_hash in rows:
            new_hash = cipher.lookup_hash(cipher.decrypt(token)) if token else ""
            if new_hash != (old_hash or ""):
                updates.append((new_hash, key))
        if updates:
            with transaction.atomic(), connection.cursor() as cur:
                cur.executemany(f"UPDATE {table} SET {qn(hash_column)} = %s WHERE {pk} = %s", updates)  # noqa: S608
            changed += len(updates)
    return changed


def rotate_files() -> int:
    """Rewrap (or encrypt, if still clear) every file under the default storage's folder — the
    files of every model, and any a model no longer names; returns how many changed."""
    from django.core.files.storage import default_storage

    from hexie.core.storage import EncryptedFileSystemStorage

    if not isinstance(default_storage, EncryptedFileSystemStorage):
        return 0
    root = Path(default_storage.location)
    changed = 0
    for path in sorted(root.rglob("*")) if root.exists() else []:
        if path.is_file() and not path.name.endswith(".enc-tmp"):
            if default_storage.encrypt_in_place(path.relative_to(root).as_posix()):
                changed += 1
    return changed


def rotate_all(*, rehash: bool, chunk: int = 1000, log: Callable[[str], None] = lambda _: None) -> Report:
    """Everything above, then one audit entry with the counts (never a value)."""
    report = Report()
    for model, f in encrypted_columns():
        label = f"{model._meta.label_lower}.{f.name}"
        report.values[label] = rotate_column(model, f.column, chunk=chunk)
        log(f"{label}: {report.values[label]} re-encrypted")
    if rehash:
        for model_label, value_name, hash_name in LOOKUPS:
            model = apps.get_model(model_label)
            value_col, hash_col = model._meta.get_field(value_name).column, model._meta.get_field(hash_name).column
            report.hashes[f"{model_label}.{hash_name}"] = n = rehash_column(model, value_col, hash_col, chunk=chunk)
            log(f"{model_label}.{hash_name}: {n} recomputed")
    report.files["media"] = rotate_files()
    log(f"stored files: {report.files['media']} re-encrypted")
    for name, rotator in EXTRA.items():
        report.extra[name] = rotator()
        log(f"{name}: {report.extra[name]}")
    with transaction.atomic():
        audit.record(actor=None, action=audit.Action.RUN, object_type="pii_keys", object_repr="rotate_pii_keys",
                     message=report.summary())
    return report
