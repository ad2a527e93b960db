package dev.truthline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command's work in a JVM of its own on a module's class path ({@code <module>/target/<jar>} and
 * {@code <module>/target/lib/}), so the command line itself never loads what that work needs (Iceberg, Hadoop,
 * PostgreSQL, DuckDB): the demo and the audit. Its output and exit code pass through; Ctrl-C or SIGTERM to this JVM
 * stops the child first.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** The repository the command runs from: bin/truthline sets it. */
    static Path home() {
        return Path.of(System.getProperty("truthline.home", ".")).toAbsolutePath().normalize();
    }

    /** A module's jar in a build of this repository. */
    static Path jar(Path home, String module, String jarName) {
        return home.resolve(module).resolve("target").resolve(jarName);
    }

    /** A module's class path in a build of this repository: its jar and its copied dependencies. */
    static String classPath(Path home, String module, String jarName) {
        Path target = home.resolve(module).resolve("target");
        return target.resolve(jarName) + java.io.File.pathSeparator + target.resolve("lib") + "/*";
    }

    /**
     * What a command does with its module: starts {@code mainClass} in a JVM of its own on the module's class path
     * ({@code <module>/target/truthline-<module>.jar} and {@code lib/}) and passes its output and exit code through, or,
     * when the module is not built, says how to build it (exit code 2).
     */
    static int runModule(String command, String module, String mainClass, List<String> args, Map<String, String> env,
            picocli.CommandLine commandLine) throws IOException, InterruptedException {
        Path home = home();
        String jarName = "truthline-" + module + ".jar";
        if (!java.nio.file.Files.isRegularFile(jar(home, module, jarName))) {
            commandLine.getErr().println("truthline " + command + ": the " + module + " is not built under " + home
                    + " (bin/truthline builds it; or ./mvnw -pl " + module + " -am package)");
            return 2;
        }
        return run(home, classPath(home, module, jarName), mainClass, args, env, commandLine.getOut(),
                commandLine.getErr());
    }

    /**
     * Starts {@code mainClass} with {@code args}, this JVM's options and {@code -Dtruthline.home}, with {@code env}
     * added to its environment (secrets go there, never on its command line); returns its exit code.
     */
    static int run(Path home, String classPath, String mainClass, List<String> args, Map<String, String> env,
            PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // This JVM's options (heap, -Dtruthline.home, ...) apply to the child too.
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-Dtruthline.home=" + home);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        Process child = builder.start();
        Thread stop = new Thread(() -> stop(child), "truthline-child-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        Thread o = copy(child.getInputStream(), out);
        Thread e = copy(child.getErrorStream(), err);
        int exit = child.waitFor();
        o.join();
        e.join();
        try {
            Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running
        }
        return exit;
    }

    private static void stop(Process child) {
        child.destroy();
        try {
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Passes a stream of the child's through as it comes (a step's "... " shows before the step is done). */
    private static Thread copy(InputStream from, PrintWriter to) {
        Thread t = new Thread(() -> {
            try (Reader in = new InputStreamReader(from, StandardCharsets.UTF_8)) {
                char[] buffer = new char[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // the child's JVM has gone
            }
        }, "truthline-child-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
