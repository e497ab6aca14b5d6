import hashlib

import pytest

from recruitwatch.archive import BlobStore


def test_put_is_content_addressed_and_idempotent(tmp_path):
    blobs = BlobStore(tmp_path)
    sha, new = blobs.put(b"evidence")
    assert sha == hashlib.sha256(b"evidence").hexdigest() and new
    assert blobs.put(b"evidence") == (sha, False)
    assert blobs.path_for(sha).read_bytes() == b"evidence"
    assert list(blobs) == [sha]


def test_rehash_reports_changed_and_missing(tmp_path):
    blobs = BlobStore(tmp_path)
    sha, _ = blobs.put(b"original")
    blobs.path_for(sha).write_bytes(b"tampered")
    assert blobs.rehash(sha) == hashlib.sha256(b"tampered").hexdigest()
    blobs.delete(sha)
    assert blobs.rehash(sha) is None


def test_names_that_are_not_hashes_are_refused(tmp_path):
    with pytest.raises(ValueError):
        BlobStore(tmp_path).path_for("../../etc/passwd")
