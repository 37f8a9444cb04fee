#!/usr/bin/env python3
"""Writes a newc cpio archive of a directory to stdout: tests/vm/build's fallback where neither
cpio nor a busybox with `cpio -o` is installed. Regular files, directories and symlinks only."""
import os
import stat
import sys


def entry(out, name, st, data, ino):
    name_b = name.encode() + b"\0"
    fields = [ino, st.st_mode if st else 0, 0, 0, st.st_nlink if st else 1,
              int(st.st_mtime) if st else 0, len(data), 0, 0, 0, 0, len(name_b), 0]
    out.write(b"070701" + b"".join(b"%08X" % f for f in fields) + name_b)
    out.write(b"\0" * (-(110 + len(name_b)) % 4))
    out.write(data)
    out.write(b"\0" * (-len(data) % 4))


def main(root):
    out = sys.stdout.buffer
    ino = 1
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in [""] + sorted(filenames) + dirnames:
            path = os.path.join(dirpath, name) if name else dirpath
            if name in dirnames:
                continue  # walked (and written) as a dirpath of its own
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                data = os.readlink(path).encode()
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    data = f.read()
            else:
                data = b""
            entry(out, os.path.relpath(path, root), st, data, ino)
            ino += 1
    entry(out, "TRAILER!!!", None, b"", 0)


if __name__ == "__main__":
    main(sys.argv[1])
