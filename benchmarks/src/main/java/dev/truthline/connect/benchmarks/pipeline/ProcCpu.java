package dev.truthline.connect.benchmarks.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time (user + system) from {@code /proc/<pid>/stat}, in nanoseconds. Linux only. */
final class ProcCpu {

    /** USER_HZ: the unit of utime and stime; 100 on every Linux the JDK runs on. */
    private static final long TICK_NANOS = 10_000_000L;

    private ProcCpu() {
    }

    static long nanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state); utime is field 14, stime field 15.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + " (Linux /proc needed)", e);
        }
    }
}
