"""Files encrypted at rest, written and read in chunks so that a large feed is never held twice.

Layout: ``HXE1``, a two-byte length and the file's own AES-256 key wrapped by the PII key (a
Fernet token, so a key rotation rewraps it without touching the body), then the body as chunks of
``CHUNK`` clear bytes, each ``nonce (12) · AES-GCM ciphertext · tag (16)``. Each chunk's associated
data is its index and whether it is the last one, so chunks cannot be reordered, dropped or the
file cut short without the read failing. Every chunk but the last holds exactly ``CHUNK`` bytes:
a reader seeks by arithmetic.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterable, Iterator
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hexie.crypto import keys

MAGIC = b"HXE1"
CHUNK = 256 * 1024
_NONCE = 12
_TAG = 16
_OVERHEAD = _NONCE + _TAG


class EncryptedFileError(ValueError):
    """A file that is not, or no longer, a readable encrypted file (damaged, cut short, wrong key)."""


def _aad(index: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">QB", index, 1 if last else 0)


def _header(data_key: bytes) -> bytes:
    wrapped = keys.multi().encrypt(data_key)
    return MAGIC + struct.pack(">H", len(wrapped)) + wrapped


def encrypt_chunks(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """The encrypted file for a stream of clear blocks of any size, as it is produced."""
    data_key = AESGCM.generate_key(bit_length=256)
    aead = AESGCM(data_key)
    yield _header(data_key)
    pending = bytearray()
    index = 0
    for block in blocks:
        view = memoryview(block)
        while view:
            # A full chunk is written only once more data follows: the last one is marked as such.
            if len(pending) == CHUNK:
                yield _seal(aead, pending, index, last=False)
                index += 1
                pending = bytearray()
            take = CHUNK - len(pending)
            pending += view[:take]
            view = view[take:]
    yield _seal(aead, pending, index, last=True)


def _seal(aead: AESGCM, clear: bytes | bytearray, index: int, *, last: bool) -> bytes:
    nonce = os.urandom(_NONCE)
    return nonce + aead.encrypt(nonce, bytes(clear), _aad(index, last))


def encrypt_bytes(data: bytes) -> bytes:
    return b"".join(encrypt_chunks([data]))


def is_encrypted(head: bytes) -> bool:
    return head[:4] == MAGIC


def read_header(fh: IO[bytes]) -> tuple[bytes, int]:
    """The wrapped key and the body's offset of an encrypted file open at its start."""
    head = fh.read(6)
    if len(head) < 6 or not is_encrypted(head):
        raise EncryptedFileError("not an encrypted file")
    (length,) = struct.unpack(">H", head[4:6])
    wrapped = fh.read(length)
    if len(wrapped) != length:
        raise EncryptedFileError("the file is cut short")
    return wrapped, 6 + length


def rewrap(path: str | os.PathLike[str]) -> bool:
    """Rewrap a file's key under the newest PII key, in place (the body is untouched).

    Returns False when it already was. The wrapped key keeps its length (a Fernet token of a
    32-byte key), so the header is overwritten where it stands."""
    with open(path, "r+b") as fh:
        wrapped, _ = read_header(fh)
        if _under_newest(wrapped):
            return False
        new = keys.multi().rotate(wrapped)
        if len(new) != len(wrapped):  # pragma: no cover - Fernet tokens of one length stay one length
            raise EncryptedFileError("the rewrapped key changed length")
        fh.seek(6)
        fh.write(new)
    return True


def _under_newest(wrapped: bytes) -> bool:
    from cryptography.fernet import InvalidToken

    try:
        keys.newest().decrypt(wrapped)
    except InvalidToken:
        return False
    return True


class DecryptingReader(io.RawIOBase):
    """A seekable, read-only view of the clear content of an encrypted file, a chunk at a time."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self.name = getattr(raw, "name", "")
        wrapped, self._body = read_header(raw)
        try:
            self._aead = AESGCM(keys.multi().decrypt(wrapped))
        except Exception as exc:  # InvalidToken: none of the keys wraps this file
            raise EncryptedFileError("the file's key cannot be unwrapped with the PII keys") from exc
        raw.seek(0, io.SEEK_END)
        body = raw.tell() - self._body
        stored = CHUNK + _OVERHEAD
        self._chunks = max(1, -(-body // stored))
        self._size = body - self._chunks * _OVERHEAD
        if self._size < 0:
            raise EncryptedFileError("the file is cut short")
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    @property
    def size(self) -> int:
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def _chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        stored = CHUNK + _OVERHEAD
        self._raw.seek(self._body + index * stored)
        blob = self._raw.read(stored)
        last = index == self._chunks - 1
        try:
            clear = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], _aad(index, last))
        except (InvalidTag, ValueError) as exc:
            raise EncryptedFileError("the file is damaged or cut short") from exc
        self._cached = (index, clear)
        return clear

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        want = len(buffer)
        if want == 0 or self._pos >= self._size:
            return 0
        index, offset = divmod(self._pos, CHUNK)
        piece = self._chunk(index)[offset:offset + want]
        buffer[:len(piece)] = piece
        self._pos += len(piece)
        return len(piece)

    def readall(self) -> bytes:
        parts = []
        while self._pos < self._size:
            index, offset = divmod(self._pos, CHUNK)
            piece = self._chunk(index)[offset:]
            parts.append(piece)
            self._pos += len(piece)
        return b"".join(parts)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def open_decrypted(raw: IO[bytes]) -> io.BufferedReader:
    return io.BufferedReader(DecryptingReader(raw), buffer_size=CHUNK)
