package dev.sentinel.platform.cgroup;

/** A cgroup Sentinel was asked for could not be had; the message is one sentence for the user. */
public final class CgroupException extends Exception {

    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
