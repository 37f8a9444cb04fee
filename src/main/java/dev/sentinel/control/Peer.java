package dev.sentinel.control;

/** Who is at the other end of a connection, from the kernel's SO_PEERCRED (not from anything the client says). */
record Peer(long uid, long gid, long pid) {

    @Override
    public String toString() {
        return "uid " + uid + " pid " + pid;
    }
}
