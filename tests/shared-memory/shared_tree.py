#!/usr/bin/env python3
"""A tree that shares memory: the parent maps SIZE MiB of shared anonymous memory
(MAP_SHARED|MAP_ANONYMOUS) and touches every page, then forks WORKERS workers that touch every
page too and sleep. Each of the N processes has the whole mapping resident: their RSS adds up to
N x SIZE, their PSS (and the cgroup's working set) to about SIZE once.

Every process appends its pid to PID_FILE once its pages are touched. Workers die with the
parent (PR_SET_PDEATHSIG, SIGKILL) so that no kill of the parent alone leaves them behind.

With "busy" after PID_FILE the workers wake every 0.1 s and spin a moment instead of sleeping
(a tree whose processes run: what bench/results/2026-12-07-measure.md calls busy).

usage: shared_tree.py SIZE_MIB WORKERS PID_FILE [busy]
"""
import ctypes
import mmap
import os
import signal
import sys
import time

PR_SET_PDEATHSIG = 1
PAGE = mmap.PAGESIZE


def touch(m, size, write):
    total = 0
    for off in range(0, size, PAGE):
        if write:
            m[off] = 1
        else:
            total += m[off]
    return total


def record(pid_file):
    with open(pid_file, "a") as f:
        f.write("%d\n" % os.getpid())


def die_with_parent(parent):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        os._exit(3)
    if os.getppid() != parent:  # the parent died before the prctl
        os._exit(0)


def main():
    size = int(sys.argv[1]) << 20
    workers = int(sys.argv[2])
    pid_file = sys.argv[3]
    busy = len(sys.argv) > 4 and sys.argv[4] == "busy"
    m = mmap.mmap(-1, size, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)
    touch(m, size, True)
    parent = os.getpid()
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            die_with_parent(parent)
            touch(m, size, False)
            record(pid_file)
            while True:
                if busy:
                    end = time.monotonic() + 0.005
                    while time.monotonic() < end:
                        pass
                    time.sleep(0.1)
                else:
                    signal.pause()
        children.append(pid)
    record(pid_file)
    # A TERM reaches the whole tree from Sentinel; the parent also passes it on, for any other sender.
    def stop(signum, frame):
        for c in children:
            try:
                os.kill(c, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
