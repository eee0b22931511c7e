package org.prdimp.fiji.batch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The files of the jobs in an output folder, under {@code jobs/}, for job 3:
 * {@code 00003.csv} the results (moved into place only when the job is complete: its presence means done),
 * {@code 00003.info} figures of the finished job (frames, seconds, threads, host),
 * {@code 00003.failed} the one-line reason of the last failure,
 * {@code 00003.partial.csv} the frames a failed run tracked before it stopped,
 * {@code 00003.running-HOST-PID-N.csv} the results while the job runs (left behind by a killed job).
 */
public final class JobFiles {
    public static final String JOBS = "jobs";
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** Where a job stands. */
    public enum Status {
        DONE, FAILED, UNFINISHED, NOT_RUN
    }

    private final Path out;

    public JobFiles(Path out) {
        this.out = out;
    }

    public Path result(PlannedJob j) {
        return out.resolve(j.result);
    }

    private Path sibling(PlannedJob j, String suffix) {
        Path r = result(j);
        return r.resolveSibling(Planner.stem(r.getFileName().toString()) + suffix);
    }

    public Path failed(PlannedJob j) {
        return sibling(j, ".failed");
    }

    public Path info(PlannedJob j) {
        return sibling(j, ".info");
    }

    public Path partial(PlannedJob j) {
        return sibling(j, ".partial.csv");
    }

    /** A new name for the results of a run in progress, unique to this process and run. */
    Path newRunning(PlannedJob j) {
        return sibling(j, ".running-" + host() + "-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet() + ".csv");
    }

    /** The files runs of this job left in progress (or are writing now). */
    List<Path> running(PlannedJob j) throws IOException {
        List<Path> out = new ArrayList<>();
        Path dir = result(j).getParent();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        String prefix = Planner.stem(result(j).getFileName().toString()) + ".running-";
        try (DirectoryStream<Path> d = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
            d.forEach(out::add);
        }
        return out;
    }

    public Status status(PlannedJob j) throws IOException {
        if (Files.isRegularFile(result(j))) {
            return Status.DONE;
        }
        if (Files.isRegularFile(failed(j))) {
            return Status.FAILED;
        }
        return running(j).isEmpty() ? Status.NOT_RUN : Status.UNFINISHED;
    }

    /** The recorded failure reason (first line), or null. */
    public String failure(PlannedJob j) throws IOException {
        Path f = failed(j);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        return lines.isEmpty() ? "" : lines.get(0);
    }

    /** The figures of a finished job, empty when it has none. */
    public Properties figures(PlannedJob j) throws IOException {
        Properties p = new Properties();
        Path f = info(j);
        if (Files.isRegularFile(f)) {
            try (java.io.Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        return p;
    }

    static String host() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (IOException e) {
            return ManagementFactory.getRuntimeMXBean().getName().replaceAll("[^A-Za-z0-9._-]", "_");
        }
    }

    /** Writes {@code text} to a temporary file beside {@code file}, then moves it into place. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet()
                + ".tmp");
        Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
        moveIntoPlace(tmp, file);
    }

    /** Moves atomically where the file system can (same folder), replacing {@code to}. */
    static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
