package org.prdimp.fiji.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.prdimp.fiji.batch.BatchException;
import org.prdimp.fiji.batch.BatchPlan;
import org.prdimp.fiji.batch.JobRunner;
import org.prdimp.fiji.batch.MergedTable;
import org.prdimp.fiji.batch.Planner;
import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.run.TrackingListener;
import org.prdimp.fiji.setup.ModelLocator;

/**
 * {@code prdimp batch plan | run | merge}: many stacks as independent jobs for a scheduler (SLURM job arrays,
 * Snakemake). Each job is tracked by the same run as {@code prdimp track} ({@link TrackCommand#track}).
 */
final class BatchCommand {
    static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    static final String HELP = String.join("\n",
            "usage: prdimp batch plan|run|merge ... (prdimp batch SUBCOMMAND --help: its options)",
            "Tracks many stacks as independent jobs, for a cluster (SLURM job array, Snakemake) or one machine:",
            "  plan INPUT_DIR --boxes boxes.csv --out OUT_DIR   one job per TIFF stack with its initial boxes",
            "  run OUT_DIR --index N                            track job N (skipped when already done)",
            "  merge OUT_DIR                                    one table over all stacks and a summary",
            "example: prdimp batch plan plate1 --boxes plate1/boxes.csv --out plate1-tracks");

    static final Map<String, String> HELPS = Map.of(
            "plan", String.join("\n",
                    "usage: prdimp batch plan INPUT_DIR [--boxes boxes.csv] --out OUT_DIR [options]",
                    "Writes the job list OUT_DIR/plan.tsv: one job per TIFF stack (.tif, .tiff) directly in INPUT_DIR, by",
                    "name, with its initial boxes from the boxes CSV or, for a stack the CSV does not name, from NAME.roi or",
                    "NAME.zip (ROI Manager) beside it; stacks with neither are listed in OUT_DIR/skipped.tsv.",
                    "  --boxes FILE             CSV with a header line and one row per target: columns stack (file name,",
                    "                           extension optional), x, y, w, h (pixels, top-left corner, in the first frame",
                    "                           of the range); other columns ignored (default: none, ROI files only)",
                    "  --out DIR                output folder (required); an existing plan there must be the same",
                    "  --model DIR              model folder for every job (default: the bundled models/default)",
                    "  --set KEY=VALUE          replace one tracker parameter of the model for every job (recorded in",
                    "                           the plan, so resumed jobs use it too); repeat for more",
                    "  --channel N              1-based channel of multi-channel stacks (default 1)",
                    "  --axis auto|time|z       dimension to track through (default auto)",
                    "  --frames A-B             0-based frame range of every stack, A holds the boxes (default: all)",
                    "example: prdimp batch plan plate1 --boxes plate1/boxes.csv --out plate1-tracks"),
            "run", String.join("\n",
                    "usage: prdimp batch run OUT_DIR [--index N | --all] [--threads N] [--device auto|cpu|gpu]",
                    "Tracks job N of the plan into OUT_DIR/jobs/NNNNN.csv (written to a temporary file, moved into place",
                    "when complete); a job already done is skipped; a failure is recorded in jobs/NNNNN.failed (one line)",
                    "and the frames tracked before it in jobs/NNNNN.partial.csv. Exit 0 done or skipped, 1 failed.",
                    "  --index N                the job (default: SLURM_ARRAY_TASK_ID)",
                    "  --all                    every job not done yet, one after another in this process",
                    "  --threads N              libtorch threads (default: SLURM_CPUS_PER_TASK, else",
                    "                           -Dai.djl.pytorch.num_threads, else every core)",
                    "  --device auto|cpu|gpu    where the network runs (default auto)",
                    "example: prdimp batch run plate1-tracks --index 3"),
            "merge", String.join("\n",
                    "usage: prdimp batch merge OUT_DIR",
                    "Writes OUT_DIR/merged.csv (columns stack, then the jobs' columns target, frame, x, y, ..., matched by",
                    "name) from the jobs done, and OUT_DIR/summary.txt (done / failed with reasons / unfinished / not run,",
                    "stacks skipped at planning, frames/s, stacks/hour per core). Exit 0 when every job is done, else 1.",
                    "example: prdimp batch merge plate1-tracks"));

    private BatchCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        String sub = args.length > 1 ? args[1] : "";
        boolean help = Arrays.asList(args).subList(1, args.length).stream().anyMatch(a -> a.equals("--help") || a.equals("-h"));
        if (help) {
            out.println(HELPS.getOrDefault(sub, HELP));
            return 0;
        }
        if (!HELPS.containsKey(sub)) {
            throw new UsageException((sub.isEmpty() ? "batch needs a subcommand" : "unknown batch subcommand '" + sub + "'")
                    + ": plan, run or merge (prdimp batch --help)");
        }
        if (args.length < 3 || args[2].startsWith("--")) {
            throw new UsageException("batch " + sub + " needs " + (sub.equals("plan") ? "INPUT_DIR" : "OUT_DIR")
                    + " first (prdimp batch " + sub + " --help)");
        }
        Path dir = Paths.get(args[2]);
        try {
            switch (sub) {
                case "plan":
                    return plan(dir, Options.parse("batch plan", args, 3,
                            Set.of("boxes", "out", "model", "set", "channel", "axis", "frames")), out);
                case "run": {
                    String[] rest = Arrays.stream(args).filter(a -> !a.equals("--all")).toArray(String[]::new);
                    boolean all = rest.length < args.length;
                    return runJobs(dir, all, Options.parse("batch run", rest, 3, Set.of("index", "threads", "device")), out, err);
                }
                default:
                    Options.parse("batch merge", args, 3, Set.of());
                    MergedTable.Summary s = MergedTable.merge(dir);
                    out.print(s.text);
                    return s.complete() ? 0 : 1;
            }
        } catch (BatchException e) {
            throw new UsageException(e.getMessage());
        } catch (IOException e) {
            err.println("prdimp: error: batch " + sub + ": " + e + "; check that " + dir + " is readable and writable");
            return 1;
        }
    }

    private static int plan(Path input, Options o, PrintStream out) throws UsageException, BatchException, IOException {
        String outDir = o.get("out");
        if (outDir == null) {
            throw new UsageException("batch plan needs --out OUT_DIR (the folder for the plan and the results)");
        }
        String model = o.get("model", "");
        if (!model.isEmpty()) {
            Path m = Paths.get(model).toAbsolutePath().normalize();
            if (!Files.isDirectory(m)) {
                throw new UsageException("model folder " + model + " does not exist; give a model folder or leave --model out"
                        + " (the bundled model)");
            }
            model = m.toString();
        }
        int channel = o.integer("channel", 1);
        if (channel < 1) {
            throw new UsageException("--channel is 1-based; give 1 or more");
        }
        String axis = o.get("axis", "auto").trim().toLowerCase(Locale.ROOT);
        axis(axis);
        String frames = o.get("frames", "").trim();
        if (!frames.isEmpty() && !frames.matches("\\d+(\\s*-\\s*\\d*)?")) {
            throw new UsageException("frames '" + frames + "' is not a range; write A-B with 0-based frame numbers, e.g. 0-99");
        }
        String boxes = o.get("boxes");
        Map<String, String> replaced = TrackCommand.trackerOverrides(o);
        BatchPlan plan = Planner.plan(input, boxes == null ? null : Paths.get(boxes), channel, axis, frames, model)
                .withTrackerOverrides(replaced);
        Path dir = Paths.get(outDir);
        boolean same = false;
        if (BatchPlan.exists(dir)) {
            BatchPlan old = BatchPlan.read(dir);
            same = plan.sameAs(dir);
            if (!same) {
                throw new UsageException(dir + " already holds a different plan (" + old.jobs.size() + " job(s)); its results"
                        + " belong to it: choose a new --out folder, or delete " + dir + " to start again");
            }
        }
        if (!same) {
            plan.write(dir);
        }
        long fromCsv = plan.jobs.stream().filter(j -> boxes != null && j.boxesFrom.startsWith(Paths.get(boxes).getFileName()
                + " line")).count();
        out.printf(Locale.ROOT, "%s %d job(s) in %s (boxes from %s: %d, from .roi/.zip files: %d)%n",
                same ? "plan unchanged:" : "planned", plan.jobs.size(), dir.resolve(BatchPlan.FILE),
                boxes == null ? "a CSV" : Paths.get(boxes).getFileName(), fromCsv, plan.jobs.size() - fromCsv);
        if (!replaced.isEmpty()) {
            out.println("every job tracks with these tracker parameters replaced: " + plan.trackerOverridesText());
        }
        if (!plan.skipped.isEmpty()) {
            out.printf(Locale.ROOT, "skipped %d stack(s) without boxes (listed in %s), e.g. %s%n", plan.skipped.size(),
                    dir.resolve(BatchPlan.SKIPPED), plan.skipped.get(0).replace("\t", ": "));
        }
        int last = plan.jobs.size() - 1;
        out.println("next, one of (from the repository root):");
        out.printf(Locale.ROOT, "  SLURM, 20 tasks at once:  sbatch --array=0-%d%%20 --output=%s/%%A_%%a.log cluster/slurm/track-array.sbatch %s%n",
                last, dir.resolve(BatchPlan.LOGS), dir);
        out.printf(Locale.ROOT, "  Snakemake:                snakemake -s cluster/snakemake/Snakefile --cores 2 --config out=%s%n", dir);
        out.printf(Locale.ROOT, "  this machine:             ./prdimp batch run %s --all%n", dir);
        out.printf(Locale.ROOT, "then: ./prdimp batch merge %s%n", dir);
        return 0;
    }

    private static int runJobs(Path dir, boolean all, Options o, PrintStream out, PrintStream err) throws UsageException, BatchException,
            IOException {
        BatchPlan plan = BatchPlan.read(dir);
        DeviceChoice device = TrackCommand.device(o);
        String threads = threads(o.get("threads"), System.getenv());
        int first;
        int last;
        if (all) {
            if (o.get("index") != null) {
                throw new UsageException("give either --index N or --all, not both");
            }
            first = 0;
            last = plan.jobs.size() - 1;
        } else {
            String index = o.get("index", System.getenv("SLURM_ARRAY_TASK_ID"));
            if (index == null) {
                throw new UsageException("batch run needs --index N (the job, 0 to " + (plan.jobs.size() - 1) + "), --all, or"
                        + " SLURM_ARRAY_TASK_ID set by a job array");
            }
            try {
                first = Integer.parseInt(index.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--index must be a whole number, not '" + index + "'");
            }
            plan.job(first);
            last = first;
        }
        if (threads != null) {
            out.println("threads: " + threads);
        }
        int failed = 0;
        for (int i = first; i <= last; i++) {
            JobRunner.Result r = JobRunner.run(plan, dir, i, (job, csv) -> track(job, csv, plan, device, out, err), threadCount());
            (r.status == JobRunner.Status.FAILED ? err : out).println((r.status == JobRunner.Status.FAILED ? "prdimp: error: " : "")
                    + r.message);
            if (r.status == JobRunner.Status.FAILED) {
                failed++;
            }
        }
        if (last > first) {
            out.printf(Locale.ROOT, "ran jobs %d-%d: %d failed; next: ./prdimp batch merge %s%n", first, last, failed, dir);
        }
        return failed == 0 ? 0 : 1;
    }

    /** The threads libtorch was given (the engine's default where nothing was set: every core). */
    private static int threadCount() {
        try {
            return Integer.parseInt(System.getProperty(THREADS_PROPERTY, "").trim());
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * Sets libtorch's thread count before the engine starts: {@code --threads}, else SLURM_CPUS_PER_TASK where the
     * property is not set already. Returns a line saying which, or null when nothing was set.
     */
    static String threads(String option, Map<String, String> env) throws UsageException {
        String value = option;
        String from = "--threads";
        if (value == null && System.getProperty(THREADS_PROPERTY) == null && env.get("SLURM_CPUS_PER_TASK") != null) {
            value = env.get("SLURM_CPUS_PER_TASK");
            from = "SLURM_CPUS_PER_TASK";
        }
        if (value == null) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new UsageException(from + " must be a whole number of threads, 1 or more, not '" + value + "'");
        }
        System.setProperty(THREADS_PROPERTY, String.valueOf(n));
        return n + " (from " + from + ")";
    }

    /** One job through the CLI's tracking run; a failure becomes its one-line reason. */
    private static JobRunner.Tracked track(org.prdimp.fiji.batch.PlannedJob job, Path csv, BatchPlan plan, DeviceChoice device,
                                           PrintStream out, PrintStream err) {
        out.println(job + ": tracking " + job.boxes.size() + " target(s) of " + job.stack + " (boxes from " + job.boxesFrom + ")");
        TrackCommand.Request r;
        try {
            r = new TrackCommand.Request(job.stack, job.boxes, csv, plan.model.isEmpty() ? ModelLocator.bundled()
                    : Paths.get(plan.model), device, plan.channel, axis(plan.axis), plan.frames.isEmpty() ? null : plan.frames);
            r.trackerOverrides = plan.trackerOverrides;
        } catch (UsageException e) {
            return JobRunner.Tracked.failed(e.getMessage(), 0);
        }
        FrameClock clock = new FrameClock();
        LastError errors = new LastError(err);
        int code;
        try {
            code = TrackCommand.track(r, out, new PrintStream(errors, true, StandardCharsets.UTF_8), clock);
        } catch (UsageException e) {
            return JobRunner.Tracked.failed(e.getMessage(), 0);
        } catch (RuntimeException | LinkageError e) {
            return JobRunner.Tracked.failed("unexpected failure (" + e + ")", clock.frames);
        }
        if (code == 0) {
            return JobRunner.Tracked.complete(clock.frames, clock.seconds());
        }
        String reason = errors.last() == null ? "the tracking run ended with exit code " + code : errors.last();
        return JobRunner.Tracked.failed(reason.replace(csv.toString(), "the job's partial results"), clock.frames);
    }

    /**
     * Counts the frames a run hands out and times them: the seconds from the first frame's results (the initial
     * boxes, after the targets were learnt) to the last frame's, so that frames/s is the speed of tracking.
     */
    private static final class FrameClock implements TrackingListener {
        int frames;
        private long first;
        private long last;

        @Override
        public void frameTracked(int frame, java.util.List<org.prdimp.fiji.engine.TargetResult> results) {
            last = System.nanoTime();
            if (frames++ == 0) {
                first = last;
            }
        }

        double seconds() {
            return (last - first) / 1e9;
        }
    }

    private static TrackingAxis axis(String text) throws UsageException {
        try {
            return TrackingAxis.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("axis '" + text + "' is not one of auto, time, z");
        }
    }

    /** Passes everything to the real stream and remembers the last "prdimp: error: " line (without the prefix). */
    private static final class LastError extends OutputStream {
        private static final String PREFIX = "prdimp: error: ";
        private final PrintStream to;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private String last;

        LastError(PrintStream to) {
            this.to = to;
        }

        @Override
        public void write(int b) {
            to.write(b);
            if (b == '\n') {
                String l = line.toString(StandardCharsets.UTF_8);
                if (l.startsWith(PREFIX)) {
                    last = l.substring(PREFIX.length()).trim();
                }
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public void flush() {
            to.flush();
        }

        String last() {
            return last;
        }
    }
}
