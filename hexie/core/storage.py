"""The default file storage: every uploaded or generated file is encrypted at rest.

Feed originals and their error reports, case attachments, case documents and bulletins may all
hold ID numbers, phones or bank cards, so nothing lands under MEDIA_ROOT in clear
(:mod:`hexie.crypto.streams`: chunked AES-GCM, its key wrapped by the PII key). Writing streams
the content a chunk at a time; ``open`` returns a seekable reader that decrypts a chunk at a time,
so parsers, downloads and documents read the clear content in memory and never from a clear file.
A file written before encryption was switched on is read as it is until
``manage.py rotate_pii_keys`` encrypts it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO, Any, cast

from django.core.files import File
from django.core.files.storage import FileSystemStorage

from hexie.crypto import streams


class _Encrypting(File):  # type: ignore[type-arg]
    """The content to save, seen through its encryption (and without a temporary path to move)."""

    def __init__(self, content: File) -> None:  # type: ignore[type-arg]
        super().__init__(None, name=content.name)
        self._content = content

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return streams.encrypt_chunks(self._clear_chunks(chunk_size))

    def _clear_chunks(self, chunk_size: int | None) -> Iterator[bytes]:
        for block in self._content.chunks(chunk_size):
            yield block.encode() if isinstance(block, str) else block


class EncryptedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files are encrypted with the PII key and read back in clear."""

    def _save(self, name: str, content: File) -> str:  # type: ignore[type-arg]
        return super()._save(name, _Encrypting(content))  # type: ignore[misc]  # not in django-stubs

    def _open(self, name: str, mode: str = "rb") -> File:  # type: ignore[type-arg]
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("encrypted files are written through save(), never opened for writing")
        raw = open(self.path(name), "rb")
        if not streams.is_encrypted(raw.read(4)):
            raw.seek(0)
            return File(raw)  # written before encryption: rotate_pii_keys encrypts it
        raw.seek(0)
        return File(streams.open_decrypted(raw), name=name)

    def size(self, name: str) -> int:
        with open(self.path(name), "rb") as raw:
            if not streams.is_encrypted(raw.read(4)):
                return os.path.getsize(self.path(name))
            raw.seek(0)
            return streams.DecryptingReader(raw).size

    def encrypt_in_place(self, name: str) -> str:
        """Encrypt a file left in clear, or rewrap an encrypted one under the newest key.

        Returns what was done: "encrypted", "rewrapped" or "" (already current). A clear file is
        encrypted to a sibling and renamed over it, so a crash leaves one whole file."""
        path = self.path(name)
        with open(path, "rb") as raw:
            clear = not streams.is_encrypted(raw.read(4))
        if not clear:
            return "rewrapped" if streams.rewrap(path) else ""
        tmp = path + ".enc-tmp"
        with open(path, "rb") as src, open(tmp, "wb") as dst:
            for piece in streams.encrypt_chunks(iter(lambda: src.read(streams.CHUNK), b"")):
                dst.write(piece)
        os.replace(tmp, path)
        return "encrypted"


def read_bytes(field_file: Any) -> bytes:
    """The clear content of a stored file (a FieldFile), read through its storage."""
    with open_clear(field_file) as fh:
        return fh.read()


def open_clear(field_file: Any) -> IO[bytes]:
    """A seekable binary file of the clear content of a stored file (a FieldFile) — a plain
    Python file object, not Django's File proxy, for parsers that check for one; the caller closes it."""
    stored = field_file.storage.open(field_file.name, "rb")
    inner = stored.file if isinstance(stored, File) else stored
    return cast(IO[bytes], inner)
