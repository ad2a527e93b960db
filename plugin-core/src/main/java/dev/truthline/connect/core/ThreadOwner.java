package dev.truthline.connect.core;

/**
 * The first thread to ask owns: Connect calls a transform from its task's one thread, so state kept for that thread
 * needs no lock and no thread-local lookup, while any other thread (a test, a rebuild, a misbehaving caller) is
 * served by a slower path. Only the claim is locked, once.
 */
public final class ThreadOwner {

    private volatile Thread owner;

    /** Whether the calling thread owns this; the first caller claims it. */
    public boolean owns() {
        Thread current = Thread.currentThread();
        return current == owner || owner == null && claim(current);
    }

    private synchronized boolean claim(Thread current) {
        if (owner == null) {
            owner = current;
        }
        return owner == current;
    }
}
