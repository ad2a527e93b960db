package dev.truthline.demo;

/** A figure for a progress line or a change check: -1 when the store cannot tell yet (a table not created). */
final class Counts {

    @FunctionalInterface
    interface Count {
        Long get() throws Exception;
    }

    private Counts() {
    }

    static long orMinusOne(Count count) {
        try {
            Long n = count.get();
            return n == null ? -1 : n;
        } catch (Exception e) {
            return -1;
        }
    }
}
