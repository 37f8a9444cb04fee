package dev.sentinel.platform.cgroup;

/** No cgroup: Sentinel follows its programs through /proc only. */
record NoContainment(String why) implements Containment {

    @Override
    public boolean active() {
        return false;
    }

    @Override
    public String describe() {
        return "no cgroup (/proc only): " + why;
    }

    @Override
    public boolean kernelLimits() {
        return false;
    }

    @Override
    public ProgramCgroup create(String programName) throws CgroupException {
        throw new CgroupException("no cgroup for " + programName + ": " + why);
    }

    @Override
    public long programsCpuMicros() {
        return -1;
    }

    @Override
    public void close() {
    }
}
