package org.prdimp.fiji.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.TrackerOverrides;

/**
 * The job list of a batch, {@code OUT_DIR/plan.tsv}: one tab-separated line per stack with its initial boxes, and
 * the settings every job shares (channel, axis, frame range, model). Read by column name. Stacks of the input
 * folder that got no boxes are listed in {@code OUT_DIR/skipped.tsv} with the reason.
 *
 * <p>Columns: {@code job} (0-based), {@code stack} (absolute path), {@code name} (file name, the {@code stack}
 * column of the merged table), {@code targets}, {@code boxes} ({@code x,y,w,h;x,y,w,h} in pixels, top-left
 * corner, in the first frame of the range), {@code boxes_from}, {@code channel} (1-based), {@code axis},
 * {@code frames} (empty: all), {@code model} (empty: the bundled model), {@code result} (the job's CSV,
 * relative to the output folder). A plan whose jobs replace tracker parameters ({@code --set key=value}) has one
 * more column, {@code tracker_parameters} ({@code key=value,key=value}), so that every job, a resumed one too,
 * tracks with them; a plan without has no such column (as before it existed).
 */
public final class BatchPlan {
    public static final String FILE = "plan.tsv";
    public static final String SKIPPED = "skipped.tsv";
    public static final String LOGS = "logs";
    static final String[] COLUMNS = {"job", "stack", "name", "targets", "boxes", "boxes_from", "channel", "axis", "frames",
        "model", "result"};
    /** The optional column of the replaced tracker parameters. */
    static final String TRACKER_PARAMETERS = "tracker_parameters";

    public final List<PlannedJob> jobs;
    /** Stacks without boxes: "name\treason". */
    public final List<String> skipped;
    public final int channel;
    public final String axis;
    /** Frame range "A-B" or empty for all frames. */
    public final String frames;
    /** Model folder (absolute) or empty for the bundled model. */
    public final String model;
    /** Tracker parameters every job replaces, key to value as written ({@link TrackerOverrides#parse}); empty: none. */
    public final Map<String, String> trackerOverrides;

    public BatchPlan(List<PlannedJob> jobs, List<String> skipped, int channel, String axis, String frames, String model) {
        this(jobs, skipped, channel, axis, frames, model, Map.of());
    }

    public BatchPlan(List<PlannedJob> jobs, List<String> skipped, int channel, String axis, String frames, String model,
                     Map<String, String> trackerOverrides) {
        this.trackerOverrides = trackerOverrides;
        this.jobs = List.copyOf(jobs);
        this.skipped = List.copyOf(skipped);
        this.channel = channel;
        this.axis = axis;
        this.frames = frames;
        this.model = model;
    }

    /** This plan with every job replacing these tracker parameters (key to value, checked by {@link TrackerOverrides#parse}). */
    public BatchPlan withTrackerOverrides(Map<String, String> replaced) {
        return new BatchPlan(jobs, skipped, channel, axis, frames, model, replaced);
    }

    /** The replaced tracker parameters as {@code key=value,key=value} (empty: none). */
    public String trackerOverridesText() {
        StringBuilder sb = new StringBuilder();
        trackerOverrides.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    /** The job with this index. */
    public PlannedJob job(int index) throws BatchException {
        if (index < 0 || index >= jobs.size()) {
            throw new BatchException("job index " + index + " is not in the plan (jobs 0 to " + (jobs.size() - 1)
                    + "); give --index between them, e.g. sbatch --array=0-" + (jobs.size() - 1));
        }
        return jobs.get(index);
    }

    /** The plan's text (plan.tsv). */
    String text() {
        boolean replaced = !trackerOverrides.isEmpty();
        StringBuilder sb = new StringBuilder(String.join("\t", COLUMNS)).append(replaced ? "\t" + TRACKER_PARAMETERS : "")
                .append('\n');
        for (PlannedJob j : jobs) {
            List<String> boxes = new ArrayList<>();
            for (Box b : j.boxes) {
                boxes.add(number(b.x) + "," + number(b.y) + "," + number(b.w) + "," + number(b.h));
            }
            sb.append(String.join("\t", String.valueOf(j.index), j.stack.toString(), j.name, String.valueOf(j.boxes.size()),
                    String.join(";", boxes), j.boxesFrom, String.valueOf(channel), axis, frames, model, j.result)).append(replaced ? "\t" + trackerOverridesText() : "")
                    .append('\n');
        }
        return sb.toString();
    }

    /** The skipped stacks' text (skipped.tsv). */
    String skippedText() {
        StringBuilder sb = new StringBuilder("name\treason\n");
        for (String s : skipped) {
            sb.append(s).append('\n');
        }
        return sb.toString();
    }

    /** Shortest exact decimal text of a coordinate (no exponent). */
    static String number(double v) {
        String s = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /**
     * Writes plan.tsv and skipped.tsv into {@code dir}, each to a temporary file moved into place, and makes the
     * folders {@code jobs/} and {@code logs/} (for the scheduler's logs).
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve(JobFiles.JOBS));
        Files.createDirectories(dir.resolve(LOGS));
        JobFiles.writeAtomically(dir.resolve(FILE), text());
        JobFiles.writeAtomically(dir.resolve(SKIPPED), skippedText());
    }

    /** True when {@code dir}'s plan.tsv is this plan, line for line. */
    public boolean sameAs(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text());
    }

    /** True when {@code dir} holds a plan. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** Reads the plan of an output folder. */
    public static BatchPlan read(Path dir) throws BatchException, IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new BatchException(dir + " holds no " + FILE + "; make the plan first: prdimp batch plan INPUT_DIR --boxes"
                    + " boxes.csv --out " + dir);
        }
        CsvTable t = CsvTable.read(file, '\t');
        t.require("a batch plan", COLUMNS);
        List<PlannedJob> jobs = new ArrayList<>();
        int channel = 1;
        String axis = "auto";
        String frames = "";
        String model = "";
        Map<String, String> replaced = Map.of();
        for (int i = 0; i < t.rows.size(); i++) {
            String where = file + " line " + t.lines.get(i);
            int index;
            List<Box> boxes = new ArrayList<>();
            try {
                index = Integer.parseInt(t.get(i, "job"));
                channel = Integer.parseInt(t.get(i, "channel"));
                for (String b : t.get(i, "boxes").split(";")) {
                    boxes.add(Box.parse(b));
                }
            } catch (IllegalArgumentException e) {
                throw new BatchException(where + " is damaged (" + e.getMessage() + "); make the plan again with prdimp batch"
                        + " plan into a new --out folder");
            }
            if (index != jobs.size()) {
                throw new BatchException(where + ": job " + index + " out of order (expected " + jobs.size()
                        + "); make the plan again with prdimp batch plan into a new --out folder");
            }
            axis = t.get(i, "axis");
            frames = t.get(i, "frames");
            model = t.get(i, "model");
            String pairs = t.has(TRACKER_PARAMETERS) ? t.get(i, TRACKER_PARAMETERS).trim() : "";
            try {
                replaced = pairs.isEmpty() ? Map.of() : TrackerOverrides.parse(Arrays.asList(pairs.split(",")));
            } catch (IllegalArgumentException e) {
                throw new BatchException(where + " is damaged (" + e.getMessage() + "); make the plan again with prdimp batch"
                        + " plan into a new --out folder");
            }
            jobs.add(new PlannedJob(index, Paths.get(t.get(i, "stack")), t.get(i, "name"), boxes, t.get(i, "boxes_from"),
                    t.get(i, "result")));
        }
        List<String> skipped = new ArrayList<>();
        Path skippedFile = dir.resolve(SKIPPED);
        if (Files.isRegularFile(skippedFile)) {
            List<String> lines = Files.readAllLines(skippedFile, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                if (!line.trim().isEmpty()) {
                    skipped.add(line);
                }
            }
        }
        return new BatchPlan(jobs, skipped, channel, axis.toLowerCase(Locale.ROOT), frames, model, replaced);
    }
}
