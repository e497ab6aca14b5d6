"""Preserve: the content-addressed evidence archive and its custody log (stage 2)."""

from recruitwatch.archive.blobs import BlobStore
from recruitwatch.archive.custody import CustodyLog, CustodyProblem
from recruitwatch.archive.texthash import text_hash

__all__ = ["BlobStore", "CustodyLog", "CustodyProblem", "text_hash"]
