"""Why a file could not be read or written, in the reader's language.

The operating system words its errors itself (``No such file or directory``), in English
whatever the reader's language; the common ones are said here through the catalogue in the
system's own English words (so English output is as before), as a :class:`~benchmark.i18n.Msg`
(machine formats keep the English); any other keeps the system's words.
"""

from __future__ import annotations

import errno

from benchmark.i18n import N_, Msg

#: The errors a user meets with files and folders, in words.
_REASONS: dict[int, str] = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EDQUOT: N_("Disk quota exceeded"),
    errno.EROFS: N_("Read-only file system"),
    errno.ELOOP: N_("a symlink loop"),
    errno.EEXIST: N_("File exists"),
    errno.ENAMETOOLONG: N_("File name too long"),
}


def os_reason(error: OSError) -> Msg | str:
    """The reason of ``error`` to be said to the reader (its English in machine formats)."""
    known = _REASONS.get(error.errno) if error.errno is not None else None
    if known is not None:
        return Msg(known)
    return error.strerror or str(error)
