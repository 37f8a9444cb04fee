package dev.sentinel.platform;

/**
 * A sampler that counts the tree another sampler finds by another measure: which processes are the
 * tree's (adopted orphans, hidden ones) stays that sampler's word, and closing closes it.
 */
abstract class InnerTreeSampler implements Sampler {

    /** Finds the tree's processes and their RSS. */
    final Sampler inner;

    InnerTreeSampler(Sampler inner) {
        this.inner = inner;
    }

    @Override
    public void adopt(long pid) {
        inner.adopt(pid);
    }

    @Override
    public int hidden() {
        return inner.hidden();
    }

    @Override
    public void close() {
        inner.close();
    }
}
