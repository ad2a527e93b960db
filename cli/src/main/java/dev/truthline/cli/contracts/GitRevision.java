package dev.truthline.cli.contracts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The files of one folder as they were at a git revision, read with the {@code git} command
 * ({@code git ls-tree}, {@code git show REV:./path}) run in that folder, so paths are relative to it.
 */
final class GitRevision {

    /** git failed, or is not there. */
    static final class GitException extends Exception {
        private static final long serialVersionUID = 1L;

        GitException(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final String revision;

    GitRevision(Path dir, String revision) throws GitException {
        this.dir = dir;
        this.revision = revision;
        Result verified = git("rev-parse", "--verify", "--quiet", revision + "^{commit}");
        if (verified.exit != 0) {
            Result inRepo = git("rev-parse", "--is-inside-work-tree");
            if (inRepo.exit != 0) {
                throw new GitException(dir + " is not inside a git work tree: " + inRepo.err.strip());
            }
            throw new GitException("no commit " + revision + " in the repository of " + dir);
        }
    }

    /** Every file under the folder at the revision, relative to the folder, '/'-separated. */
    List<String> files() throws GitException {
        Result listed = git("ls-tree", "-r", "-z", "--name-only", revision, "--", ".");
        if (listed.exit != 0) {
            throw new GitException("git ls-tree " + revision + " failed: " + listed.err.strip());
        }
        List<String> files = new ArrayList<>();
        for (String name : listed.out.split("\0")) {
            if (!name.isEmpty()) {
                files.add(name);
            }
        }
        return files;
    }

    /** A file's text at the revision; the path is relative to the folder. */
    String show(String relativePath) throws GitException {
        Result shown = git("show", revision + ":./" + relativePath);
        if (shown.exit != 0) {
            throw new GitException("git show " + revision + ":" + relativePath + " failed: " + shown.err.strip());
        }
        return shown.out;
    }

    private record Result(int exit, String out, String err) {
    }

    private Result git(String... args) throws GitException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
            process.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String out = readAll(process.getInputStream());
            return new Result(process.waitFor(), out, err.join());
        } catch (IOException e) {
            throw new GitException("cannot run git: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitException("interrupted while running git");
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
