"""How a blob reaches its name: a temp file named after it, renamed; leftovers never block."""

import hashlib
import os

from recruitwatch.archive import BlobStore


def test_a_leftover_temp_file_of_the_same_blob_does_not_block_it(tmp_path):
    blobs = BlobStore(tmp_path)
    sha = hashlib.sha256(b"evidence").hexdigest()
    folder = tmp_path / sha[:2]
    folder.mkdir()
    leftover = folder / f".tmp-{sha}-{os.getpid()}"  # what a killed run of this pid left
    leftover.write_bytes(b"half")
    assert blobs.put(b"evidence", durable=False) == (sha, True)
    assert blobs.path_for(sha).read_bytes() == b"evidence"
    assert list(blobs) == [sha]  # temp files are never taken for blobs
    assert leftover.read_bytes() == b"half"


def test_no_temp_file_is_left_behind_and_folders_are_made(tmp_path):
    blobs = BlobStore(tmp_path / "not-yet")
    shas = [blobs.put(bytes([i]) * 5000)[0] for i in range(50)]
    assert sorted(blobs) == sorted(shas)
    assert not [p for p in (tmp_path / "not-yet").rglob(".tmp-*")]
    assert all(blobs.rehash(sha) == sha for sha in shas)


def test_put_many_stores_each_original_once_under_its_name(tmp_path):
    blobs = BlobStore(tmp_path)
    originals = [(hashlib.sha256(raw).hexdigest(), raw) for raw in (b"one", b"two")]
    assert blobs.put_many(originals, durable=False) == [True, True]
    assert blobs.put_many(originals) == [False, False]
    assert sorted(blobs) == sorted(sha for sha, _ in originals)
    assert all(blobs.rehash(sha) == sha for sha, _ in originals)
