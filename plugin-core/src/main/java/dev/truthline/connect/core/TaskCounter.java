package dev.truthline.connect.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter on a plugin's per-record path. Connect calls a transform from its task's one thread, so the first
 * thread to count owns the counter and adds with a plain store — no atomic instruction, which a
 * {@link LongAdder} spends on every increment; any other thread adds to a {@code LongAdder}, so counts stay
 * exact whoever calls. Readers (the metrics reporter's thread) see the owner's count with opaque reads: never
 * torn, at most a moment late.
 */
public final class TaskCounter {

    private static final VarHandle OWNED;

    static {
        try {
            OWNED = MethodHandles.lookup().findVarHandle(TaskCounter.class, "owned", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Written only by the thread {@link #owner} names, opaquely. */
    @SuppressWarnings("unused")
    private long owned;
    private final ThreadOwner owner = new ThreadOwner();
    private final LongAdder others = new LongAdder();

    public void increment() {
        add(1);
    }

    public void add(long n) {
        if (owner.owns()) {
            OWNED.setOpaque(this, (long) OWNED.getOpaque(this) + n);
        } else {
            others.add(n);
        }
    }

    public long sum() {
        return (long) OWNED.getOpaque(this) + others.sum();
    }
}
