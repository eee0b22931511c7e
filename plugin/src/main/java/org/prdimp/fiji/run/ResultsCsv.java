package org.prdimp.fiji.run;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.prdimp.fiji.engine.TargetResult;

/**
 * Writes results as CSV, one row per target and frame, flushed after every frame so that an
 * interrupted run keeps what it tracked. Header:
 * {@code target,frame,x,y,w,h,confidence,sigma_x,sigma_y,state,peak,peak_state}; targets and frames are
 * 0-based; a target not found has empty box and sigma fields. {@code confidence}: the probability that the
 * box overlaps the target with IoU >= 0.5 (calibrated); {@code sigma_x, sigma_y}: positional uncertainty,
 * pixels, one standard deviation; {@code state}: tracked | uncertain | lost; {@code peak}: the raw maximum of
 * the probability map; {@code peak_state}: PrDiMP's peak analysis (normal | uncertain | hard_negative |
 * not_found).
 */
public final class ResultsCsv implements TrackingListener, Closeable {
    public static final String HEADER = "target,frame,x,y,w,h,confidence,sigma_x,sigma_y,state,peak,peak_state";

    private final BufferedWriter out;

    public ResultsCsv(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(HEADER);
        out.newLine();
        out.flush();
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
        for (TargetResult r : results) {
            out.write(row(r));
            out.newLine();
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
