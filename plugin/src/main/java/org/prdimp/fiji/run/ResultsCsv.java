package org.prdimp.fiji.run;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.prdimp.fiji.engine.TargetResult;

/**
 * Writes results as CSV, one row per target and frame. Header:
 * {@code target,frame,x,y,w,h,confidence,sigma_x,sigma_y,state,peak,peak_state}; targets and frames are
 * 0-based; a target not found has empty box and sigma fields. {@code confidence}: the probability that the
 * box overlaps the target with IoU >= 0.5 (calibrated); {@code sigma_x, sigma_y}: positional uncertainty,
 * pixels, one standard deviation; {@code state}: tracked | uncertain | lost; {@code peak}: the raw maximum of
 * the probability map; {@code peak_state}: PrDiMP's peak analysis (normal | uncertain | hard_negative |
 * not_found | no_signal).
 *
 * <p>Nothing is written to the target file while tracking runs: rows go to a temporary file beside
 * it ({@code NAME.NNN.tmp}), written a whole frame at a time and forced to the file after every
 * frame so that an interrupted run keeps what it tracked. When the run ends, {@link #finish} moves
 * the temporary file into place atomically (a complete run replaces an earlier file of that name)
 * or, for a cancelled or failed run, to {@link #partialName} ({@code results.partial.csv}), so an
 * earlier complete file is never replaced by part of a run. If a write fails (full disk), the file
 * is cut back to the last complete frame: it never ends in a cut-off row. {@link #close()} without
 * {@link #finish} counts as an incomplete run.
 */
public final class ResultsCsv implements TrackingListener, Closeable {
    public static final String HEADER = "target,frame,x,y,w,h,confidence,sigma_x,sigma_y,state,peak,peak_state";

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    /** Bytes of the header and the complete frames written so far. */
    private long complete;
    private int frames;
    private boolean closed;
    private Path written;

    /**
     * Prepares writing {@code file}: creates its folder and a temporary file beside it; the file
     * itself is not touched until {@link #finish}.
     *
     * @throws IOException if the folder or the temporary file cannot be created, or {@code file} is a folder
     */
    public ResultsCsv(Path file) throws IOException {
        this.target = file.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw new IOException(target + " is a folder; give a file name such as results.csv");
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        this.temp = Files.createTempFile(parent, target.getFileName() + ".", ".tmp");
        permissionsOf(target, temp);
        FileChannel c = null;
        try {
            c = FileChannel.open(temp, StandardOpenOption.WRITE);
            this.channel = c;
            append((HEADER + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (c != null) {
                c.close();
            }
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Gives the temporary file (created owner-only) the permissions of the file it replaces, or rw-r--r--. */
    private static void permissionsOf(Path existing, Path temp) {
        try {
            Set<PosixFilePermission> perms = Files.exists(existing) ? Files.getPosixFilePermissions(existing)
                    : PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(temp, perms);
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: the default permissions stay
        }
    }

    /** The name a cancelled or failed run's results get: {@code results.csv} becomes {@code results.partial.csv}. */
    public static Path partialName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String partial = dot > 0 ? name.substring(0, dot) + ".partial" + name.substring(dot) : name + ".partial";
        return file.resolveSibling(partial);
    }

    /** One CSV row (without line end). */
    public static String row(TargetResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.target).append(',').append(r.frame).append(',');
        if (r.box != null) {
            sb.append(String.format(Locale.ROOT, "%.2f,%.2f,%.2f,%.2f,", r.box.x, r.box.y, r.box.w, r.box.h));
        } else {
            sb.append(",,,,");
        }
        sb.append(String.format(Locale.ROOT, "%.4f,", r.confidence));
        sb.append(Double.isNaN(r.sigmaX) ? ",," : String.format(Locale.ROOT, "%.2f,%.2f,", r.sigmaX, r.sigmaY));
        sb.append(r.state.label()).append(',');
        sb.append(String.format(Locale.ROOT, "%.4f,", r.peak));
        sb.append(r.peakState.label());
        return sb.toString();
    }

    @Override
    public void frameTracked(int frame, List<TargetResult> results) throws IOException {
        if (closed) {
            throw new IOException("results file " + target + " is already closed");
        }
        StringBuilder sb = new StringBuilder();
        for (TargetResult r : results) {
            sb.append(row(r)).append('\n');
        }
        append(sb.toString().getBytes(StandardCharsets.UTF_8));
        frames++;
    }

    /** Writes one frame's bytes; on failure cuts the file back to the last complete frame. */
    private void append(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
            complete += bytes.length;
        } catch (IOException e) {
            try {
                channel.truncate(complete);
                channel.position(complete);
            } catch (IOException ignored) {
                // the rows before stay complete; a cut-off tail is removed when the file is finished
            }
            throw new IOException("cannot write " + target + " (" + reason(e) + "); " + frames
                    + " frame(s) kept", e);
        }
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    /** Frames whose rows are complete in the file. */
    public int framesWritten() {
        return frames;
    }

    /** The file the results were moved to by {@link #finish}; null before, or when no frame was written. */
    public Path written() {
        return written;
    }

    /**
     * Ends writing: a complete run's file replaces {@code file} atomically; an incomplete run's rows
     * go to {@link #partialName}; with no frame written nothing is left. Returns where the rows are
     * (null for none). Idempotent.
     *
     * @throws IOException if the file cannot be moved (the rows then stay in the temporary file, named in the message)
     */
    public Path finish(boolean completeRun) throws IOException {
        if (closed) {
            return written;
        }
        closed = true;
        try {
            channel.truncate(complete);
        } finally {
            channel.close();
        }
        if (frames == 0) {
            Files.deleteIfExists(temp);
            return null;
        }
        Path to = completeRun ? target : partialName(target);
        try {
            try {
                Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IOException("cannot move the results into " + to + " (" + reason(e) + "); the " + frames
                    + " frame(s) tracked are in " + temp, e);
        }
        written = to;
        return to;
    }

    @Override
    public void finished(TrackingRun.Outcome outcome) throws IOException {
        finish(outcome.complete());
    }

    /** Ends writing as an incomplete run unless {@link #finish} was called. */
    @Override
    public void close() throws IOException {
        finish(false);
    }
}
