package org.prdimp.fiji.batch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Merges the results of the finished jobs into one table, {@code OUT_DIR/merged.csv}: a {@code stack} column (the
 * stack's file name) followed by the columns of the jobs' CSVs ({@code target, frame, x, y, ...}), matched by
 * header name (a job written with other or more columns fills what it has; missing fields stay empty). Writes a
 * summary, {@code OUT_DIR/summary.txt}: jobs done / failed (with their reasons) / unfinished / not run, stacks
 * skipped at planning, rows, and the speed (frames/s of tracking, stacks/hour per core with the engine's start).
 */
public final class MergedTable {
    public static final String FILE = "merged.csv";
    public static final String SUMMARY = "summary.txt";

    /** Counts of a merge. */
    public static final class Summary {
        public int done;
        public int failed;
        public int unfinished;
        public int notRun;
        public int skipped;
        public long rows;
        public long frames;
        public double trackingSeconds;
        public double coreSeconds;
        public String text;

        /** True when every planned job is done. */
        public boolean complete() {
            return failed == 0 && unfinished == 0 && notRun == 0;
        }
    }

    private MergedTable() {
    }

    /** Merges the output folder {@code out}; the table holds the done jobs, whatever the others' state. */
    public static Summary merge(Path out) throws BatchException, IOException {
        BatchPlan plan = BatchPlan.read(out);
        JobFiles files = new JobFiles(out);
        Summary s = new Summary();
        s.skipped = plan.skipped.size();
        List<String> problems = new ArrayList<>();
        List<PlannedJob> done = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        columns.add("stack");
        for (PlannedJob j : plan.jobs) {
            switch (files.status(j)) {
                case DONE:
                    List<String> header = CsvTable.header(files.result(j), ',');
                    if (!header.contains("target") || !header.contains("frame")) {
                        s.failed++;
                        problems.add("  " + j + ": FAILED: its results " + j.result + " have no target/frame columns (header "
                                + String.join(",", header) + "); delete the file and run the job again");
                        continue;
                    }
                    done.add(j);
                    columns.addAll(header);
                    break;
                case FAILED:
                    s.failed++;
                    problems.add("  " + j + ": FAILED: " + files.failure(j));
                    break;
                case UNFINISHED:
                    s.unfinished++;
                    problems.add("  " + j + ": unfinished: started but never completed (killed, e.g. by a time or memory"
                            + " limit?); run it again");
                    break;
                default:
                    s.notRun++;
                    break;
            }
        }
        s.done = done.size();
        Path merged = out.resolve(FILE);
        Path tmp = merged.resolveSibling(FILE + "." + ProcessHandle.current().pid() + ".tmp");
        int targets = 0;
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(String.join(",", columns));
            w.newLine();
            for (int k = 0; k < done.size(); k++) {
                PlannedJob j = done.get(k);
                CsvTable t = CsvTable.read(files.result(j), ','); // one job's table at a time
                Set<String> jobTargets = new LinkedHashSet<>();
                for (int r = 0; r < t.rows.size(); r++) {
                    StringBuilder sb = new StringBuilder(CsvTable.csvField(j.name));
                    for (String c : columns) {
                        if (!c.equals("stack")) {
                            sb.append(',').append(CsvTable.csvField(t.get(r, c)));
                        }
                    }
                    w.write(sb.toString());
                    w.newLine();
                    jobTargets.add(t.get(r, "target"));
                    s.rows++;
                }
                targets += jobTargets.size();
                Properties p = files.figures(j);
                s.frames += Math.max(0, (long) number(p, "frames") - 1); // the first holds the initial boxes
                s.trackingSeconds += number(p, "tracking_seconds");
                s.coreSeconds += number(p, "job_seconds") * Math.max(1, number(p, "threads"));
            }
        }
        JobFiles.moveIntoPlace(tmp, merged);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "batch %s: %d job(s) planned, %d stack(s) skipped at planning (no boxes; %s)%n",
                out, plan.jobs.size(), s.skipped, BatchPlan.SKIPPED));
        if (!plan.trackerOverrides.isEmpty()) {
            sb.append("tracker parameters replaced: ").append(plan.trackerOverridesText()).append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "done %d, failed %d, unfinished %d, not run %d%n", s.done, s.failed,
                s.unfinished, s.notRun));
        for (String p : problems) {
            sb.append(p).append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "merged: %d row(s) of %d stack(s), %d target(s) -> %s%n", s.rows, s.done,
                targets, merged));
        if (s.trackingSeconds > 0) {
            sb.append(String.format(Locale.ROOT, "tracking: %d frame(s) after the first of each stack in %.1f s (%.1f frames/s)%n", s.frames,
                    s.trackingSeconds, s.frames / s.trackingSeconds));
        }
        if (s.coreSeconds > 0) {
            sb.append(String.format(Locale.ROOT, "jobs with the engine's start: %.1f core-seconds, %.0f stacks/hour per core%n",
                    s.coreSeconds, 3600.0 * s.done / s.coreSeconds));
        }
        s.text = sb.toString();
        JobFiles.writeAtomically(out.resolve(SUMMARY), s.text);
        return s;
    }

    private static double number(Properties p, String key) {
        try {
            return Double.parseDouble(p.getProperty(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
