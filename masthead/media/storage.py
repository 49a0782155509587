"""Uploads that are either whole on disk or not there at all.

Django's file storage writes straight into the final name, so a full disk or a dropped
connection leaves a truncated picture that pages then serve. Here the upload is written to a
hidden temporary file in the same directory (so the last step is a rename on one file system),
linked into place only once complete, and the temporary file is removed whatever happens.
"""

import os
import secrets

from django.core.files.storage import FileSystemStorage
from django.core.files.utils import validate_file_name


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        partial = os.path.join(directory, f".{secrets.token_hex(8)}.part")
        try:
            self._write(partial, content)
            name = self._link_into_place(partial, name)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        if self.file_permissions_mode is not None:
            os.chmod(self.path(name), self.file_permissions_mode)
        return str(name).replace("\\", "/")

    def _write(self, path: str, content) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as out:
            content.seek(0)
            for chunk in content.chunks():
                out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            out.flush()
            os.fsync(out.fileno())

    def _link_into_place(self, partial: str, name: str) -> str:
        """A hard link never replaces another upload that took the same name meanwhile."""
        while True:
            try:
                if self._allow_overwrite:
                    os.replace(partial, self.path(name))
                else:
                    os.link(partial, self.path(name))
                return name
            except FileExistsError:
                name = self.get_available_name(name)
                validate_file_name(name, allow_relative_path=True)
