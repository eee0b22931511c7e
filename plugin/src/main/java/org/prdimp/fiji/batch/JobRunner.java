package org.prdimp.fiji.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Locale;

/**
 * Runs one job of a plan, resumably: a job whose results exist is skipped; the tracker writes to a file of its
 * own ({@link JobFiles#newRunning}) that is moved into place only when the job is complete, with the job's
 * figures beside it; a failure is recorded with its one-line reason, and the frames tracked before it are kept as
 * {@code NNNNN.partial.csv}. A failed job runs again on the next call.
 */
public final class JobRunner {
    /** Tracks one job into a CSV file (the CLI's tracking run). */
    public interface Tracker {
        Tracked track(PlannedJob job, Path csv);
    }

    /** What the tracker reports. */
    public static final class Tracked {
        /** One-line reason, null when the job is complete. */
        final String failure;
        /** Frames with results, the first (initial boxes) included. */
        final int frames;
        /** Seconds from the first frame's results to the last's: the frames after the first took them. */
        final double seconds;

        private Tracked(String failure, int frames, double seconds) {
            this.failure = failure;
            this.frames = frames;
            this.seconds = seconds;
        }

        public static Tracked complete(int frames, double seconds) {
            return new Tracked(null, frames, seconds);
        }

        public static Tracked failed(String reason, int frames) {
            return new Tracked(reason == null || reason.trim().isEmpty() ? "failed without a reason" : oneLine(reason), frames, 0);
        }
    }

    /** How a call ended. */
    public enum Status {
        DONE, SKIPPED, FAILED
    }

    /** The status of a call and a line saying what happened. */
    public static final class Result {
        public final Status status;
        public final String message;

        Result(Status status, String message) {
            this.status = status;
            this.message = message;
        }
    }

    private JobRunner() {
    }

    /**
     * Runs job {@code index} of the plan in {@code out} unless it is done.
     *
     * @param threads the engine's thread count, recorded with the job's figures
     */
    public static Result run(BatchPlan plan, Path out, int index, Tracker tracker, int threads) throws BatchException,
            IOException {
        PlannedJob job = plan.job(index);
        JobFiles files = new JobFiles(out);
        Path result = files.result(job);
        if (files.status(job) == JobFiles.Status.DONE) {
            return new Result(Status.SKIPPED, job + ": already done (" + out.relativize(result) + "); skipped");
        }
        Files.createDirectories(result.getParent());
        long start = System.nanoTime();
        Instant started = Instant.now();
        Path running = files.newRunning(job);
        Tracked t;
        try {
            t = tracker.track(job, running);
        } catch (RuntimeException e) {
            t = Tracked.failed("unexpected failure (" + e + ")", 0);
        }
        double jobSeconds = (System.nanoTime() - start) / 1e9;
        if (t.failure == null && !Files.isRegularFile(running)) {
            t = Tracked.failed("the tracking run wrote no results file", 0);
        }
        if (t.failure == null) {
            String info = String.join("\n",
                    "stack=" + job.name.replace("\\", "\\\\"),
                    "targets=" + job.boxes.size(),
                    "frames=" + t.frames,
                    String.format(Locale.ROOT, "tracking_seconds=%.3f", t.seconds),
                    String.format(Locale.ROOT, "job_seconds=%.3f", jobSeconds),
                    "threads=" + threads,
                    "host=" + JobFiles.host(),
                    "finished=" + Instant.now()) + "\n";
            JobFiles.writeAtomically(files.info(job), info);
            JobFiles.moveIntoPlace(running, result);
            Files.deleteIfExists(files.failed(job));
            Files.deleteIfExists(files.partial(job)); // superseded by the complete results
            for (Path stale : files.running(job)) { // left by killed runs that started before this one
                if (Files.getLastModifiedTime(stale).compareTo(FileTime.from(started)) < 0) {
                    Files.deleteIfExists(stale);
                }
            }
            return new Result(Status.DONE, String.format(Locale.ROOT, "%s: done, %d target(s), %d frame(s) in %.1f s (%.1f"
                    + " frames/s; %.1f s with the engine's start) -> %s", job, job.boxes.size(), t.frames, t.seconds,
                    t.seconds > 0 ? (t.frames - 1) / t.seconds : 0, jobSeconds, out.relativize(result)));
        }
        String reason = t.failure;
        Path kept = keepPartial(running, files.partial(job));
        if (kept != null) {
            reason += " (" + t.frames + " frame(s) tracked before it kept in " + out.relativize(kept) + ")";
        }
        JobFiles.writeAtomically(files.failed(job), reason + "\n");
        return new Result(Status.FAILED, job + ": FAILED: " + reason + " (recorded in " + out.relativize(files.failed(job))
                + "; run it again after fixing the cause)");
    }

    /**
     * Moves what a failed run wrote (its running file, or that file's {@code .partial.csv} where the results
     * writer renamed it) to {@code partial} when it holds rows; deletes a header-only file. Returns the kept file or
     * null.
     */
    private static Path keepPartial(Path running, Path partial) throws IOException {
        String n = running.getFileName().toString();
        Path renamed = running.resolveSibling(n.substring(0, n.length() - ".csv".length()) + ".partial.csv");
        Path kept = null;
        for (Path p : new Path[] {running, renamed}) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            long lines;
            try (java.util.stream.Stream<String> s = Files.lines(p)) {
                lines = s.filter(l -> !l.trim().isEmpty()).count();
            }
            if (lines > 1) {
                JobFiles.moveIntoPlace(p, partial);
                kept = partial;
            } else {
                Files.delete(p);
            }
        }
        return kept;
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").trim();
    }
}
