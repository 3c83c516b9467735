"""Files at rest: whatever is saved under MEDIA_ROOT is encrypted, and read back in clear."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings

from hexie.core.storage import EncryptedFileSystemStorage
from hexie.crypto import streams

SECRET = "430104199001011234,6222021234567890123,13800138000\n"


def _on_disk(name: str) -> bytes:
    return Path(default_storage.path(name)).read_bytes()


def test_the_default_storage_encrypts_what_it_saves(settings):
    assert isinstance(default_storage, EncryptedFileSystemStorage)
    name = default_storage.save("imports/feed.csv", ContentFile(SECRET.encode()))
    raw = _on_disk(name)
    assert SECRET.encode() not in raw and b"430104199001011234" not in raw
    assert raw.startswith(streams.MAGIC)
    with default_storage.open(name) as fh:
        assert fh.read() == SECRET.encode()
    assert default_storage.size(name) == len(SECRET.encode())


@pytest.mark.parametrize("size", [0, 1, streams.CHUNK - 1, streams.CHUNK, streams.CHUNK + 1, 3 * streams.CHUNK + 7])
def test_content_across_chunk_boundaries_reads_back_whole_and_seeks(size):
    data = bytes(i % 251 for i in range(size))
    name = default_storage.save("blob.bin", ContentFile(data))
    assert default_storage.size(name) == size
    with default_storage.open(name) as fh:
        assert fh.read() == data
        if size > 10:
            fh.seek(size - 10)
            assert fh.read() == data[-10:]
            fh.seek(size // 2)
            assert fh.read(5) == data[size // 2:size // 2 + 5]


def test_a_damaged_or_cut_short_file_is_refused_not_read_as_something_else():
    data = b"x" * (2 * streams.CHUNK + 5)
    name = default_storage.save("blob.bin", ContentFile(data))
    path = Path(default_storage.path(name))
    raw = path.read_bytes()
    path.write_bytes(raw[:-(streams.CHUNK // 2)])  # the last chunk gone: the one before is not marked last
    with pytest.raises(streams.EncryptedFileError), default_storage.open(name) as fh:
        fh.read()
    flipped = bytearray(raw)
    flipped[len(raw) // 2] ^= 1
    path.write_bytes(bytes(flipped))
    with pytest.raises(streams.EncryptedFileError), default_storage.open(name) as fh:
        fh.read()


def test_a_file_from_before_encryption_is_read_and_encrypted_by_encrypt_in_place():
    path = Path(default_storage.path("old/feed.csv"))
    path.parent.mkdir(parents=True)
    path.write_bytes(SECRET.encode())
    with default_storage.open("old/feed.csv") as fh:
        assert fh.read() == SECRET.encode()
    assert default_storage.encrypt_in_place("old/feed.csv") == "encrypted"
    assert SECRET.encode() not in path.read_bytes()
    assert default_storage.encrypt_in_place("old/feed.csv") == ""
    with default_storage.open("old/feed.csv") as fh:
        assert fh.read() == SECRET.encode()


def test_a_new_key_rewraps_a_file_and_the_old_key_is_then_not_needed(settings):
    name = default_storage.save("doc.docx", ContentFile(SECRET.encode()))
    old = settings.PII_KEY
    new = Fernet.generate_key().decode()
    with override_settings(PII_KEY=f"{new},{old}"):
        with default_storage.open(name) as fh:  # still readable under the old key
            assert fh.read() == SECRET.encode()
        assert default_storage.encrypt_in_place(name) == "rewrapped"
        assert default_storage.encrypt_in_place(name) == ""
    with override_settings(PII_KEY=new), default_storage.open(name) as fh:
        assert fh.read() == SECRET.encode()
    with override_settings(PII_KEY=old), pytest.raises(streams.EncryptedFileError):
        default_storage.open(name)


def test_a_large_upload_is_written_in_chunks_without_a_second_copy():
    # 3 MB in 64 KB blocks: the writer never holds more than a chunk of it at a time.
    blocks = [bytes([i % 256]) * 65536 for i in range(48)]
    pieces = list(streams.encrypt_chunks(iter(blocks)))
    assert max(len(p) for p in pieces) <= streams.CHUNK + 28 + 200
    reader = streams.open_decrypted(io.BytesIO(b"".join(pieces)))
    assert reader.read() == b"".join(blocks)
