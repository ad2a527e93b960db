package dev.truthline.connect.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java main class in a JVM of its own, the way Kafka's start scripts run {@code kafka.Kafka} and
 * {@code ConnectDistributed}: a class path (a {@code libs/*} folder, or this JVM's own), JVM options, arguments,
 * environment variables, and stdout/stderr appended to a log file.
 */
public final class ForkedJvm {

    private final String name;
    private final Process process;
    private final Path log;

    private ForkedJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The class path of every jar in a folder, as Kafka's scripts build it from {@code libs/}. */
    public static String folderClassPath(Path libs) {
        return libs.toAbsolutePath() + "/*";
    }

    public static ForkedJvm start(String name, String classPath, List<String> jvmOptions, String mainClass,
            List<String> args, Map<String, String> environment, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return new ForkedJvm(name, builder.start(), log);
    }

    /** Runs a main class to its end; fails with the log's path when it exits non-zero. */
    public static void run(String name, String classPath, List<String> jvmOptions, String mainClass, List<String> args,
            Path log) throws IOException, InterruptedException {
        ForkedJvm jvm = start(name, classPath, jvmOptions, mainClass, args, Map.of(), log);
        if (!jvm.process.waitFor(2, TimeUnit.MINUTES)) {
            jvm.killHard();
            throw new IllegalStateException(name + " did not finish in 2 minutes; see " + log);
        }
        if (jvm.process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited with " + jvm.process.exitValue() + "; see " + log);
        }
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL: the JVM ends at once; nothing is flushed, stopped or committed. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not die within 30 s of SIGKILL");
        }
    }

    /** SIGTERM (the JVM's shutdown hooks run: a broker or worker stops cleanly), then SIGKILL after the grace. */
    public void stop(long graceMillis) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
            killHard();
        }
    }

    /**
     * {@link #stop} for several JVMs at once: SIGTERM to all, then SIGKILL to any still running after the grace (the
     * nodes of a cluster stop together, none waiting for a quorum the others already left).
     */
    public static void stopAll(List<ForkedJvm> jvms, long graceMillis) throws InterruptedException {
        jvms.stream().filter(ForkedJvm::alive).forEach(j -> j.process.destroy());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        for (ForkedJvm jvm : jvms) {
            if (!jvm.process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                jvm.killHard();
            }
        }
    }
}
