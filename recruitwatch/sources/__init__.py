"""Collect: read local files and folders into Documents (stage 1)."""

from recruitwatch.sources.files import (
    SourceError,
    SourceFile,
    documents_from_bytes,
    iter_source_files,
    read_raw,
)

__all__ = ["SourceError", "SourceFile", "documents_from_bytes", "iter_source_files", "read_raw"]
