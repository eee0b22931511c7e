package org.prdimp.fiji.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.prdimp.fiji.setup.ModelLocator;
import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.ModelFolder;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.engine.calibration.Calibration;
import org.prdimp.fiji.engine.calibration.CalibrationFit;
import org.prdimp.fiji.engine.calibration.Evidence;
import org.prdimp.fiji.engine.calibration.Reliability;

/**
 * {@code prdimp calibrate --model DIR}: fits the model's confidence calibration ({@code DIR/calibration.json})
 * on validation sequences only: real sequences with ground truth (default {@code ../shared/data/training}) and
 * held-out procedural time-lapses (seeds from 10^9 on: never used in training). The engine runs over every
 * validation sequence; one sequence in four (by name) is kept out of the fit and only checked. Pass 1 runs
 * without a calibration; each further pass runs with the map of the pass before (where the model turns
 * recovery on, its states steer the search after a loss) and refits on what that engine did. With
 * {@code --from-dump} the frames of an earlier {@code --dump} are refitted without running the engine.
 */
public final class CalibrateMain {
    static final String DEFAULT_KINDS = "fluo-nuclei,fluo-cells,phase-contrast,brightfield,generic-grey";
    static final long DEFAULT_SEED = 1_000_000_100L;
    /**
     * The map's features, chosen on validation data only (4-fold cross-validation by sequence over the
     * validation frames, and the held-out split): ratios to the target's own levels and shape of the map,
     * no absolute peak height, size or age (these differ between sequences more than between success and
     * failure, and made held-out sequences' probabilities off by their base rate).
     */
    static final List<String> DEFAULT_FEATURES = List.of("track_level", "init_peak_drop", "spread", "entropy",
            "second_ratio", "displacement", "peak_drop", "size_drift");
    static final String USAGE = String.join("\n",
            "usage: prdimp calibrate --model DIR [--validation DIR...] [--procedural KINDS|none] [--seed S]",
            "                        [--passes N] [--from-current] [--max-tracks N] [--max-frames N] [--min-track-frames N]",
            "                        [--features LIST] [--dump FILE.csv] [--from-dump FILE.csv] [--cache DIR]",
            "                        [--device auto|cpu|gpu] [--threads N]",
            "  --model       the model folder; DIR/calibration.json is (re)written",
            "  --validation  validation sequence folders (OTB, LaSOT, GOT-10k, CTC, or a frames folder NN/ with a",
            "                tracks_bbox_*.csv table), never the acceptance set (default ../shared/data/training)",
            "  --procedural  procedural kinds, one held-out time-lapse each (default " + DEFAULT_KINDS + ")",
            "  --seed        first procedural seed (default " + DEFAULT_SEED + ", the generator's held-out range)",
            "  --passes      engine runs: 1 without calibration, then with the previous pass's map (default 1;",
            "                more only matter where the model turns recovery on: its states then steer the search)",
            "  --from-current  the first pass runs with the folder's current calibration (refine an existing map)",
            "  --max-tracks  tracks per multi-track folder, evenly spaced (default 10)",
            "  --max-frames  frames per sequence (default 150)",
            "  --min-track-frames  a track is a sequence when present in this many consecutive frames (default 30)",
            "  --features    evidence features of the map (default " + String.join(",", DEFAULT_FEATURES) + "; known: "
                    + String.join(",", Evidence.NAMES) + ")",
            "  --dump        also write every validation frame's evidence and outcome (last pass) as CSV",
            "  --from-dump   refit from such a CSV (its fit / held-out split) without running the engine: seconds, for",
            "                the same weights and engine only (the model folder's weights are not checked against it)",
            "Example: ./prdimp calibrate --model models/default",
            "Prints the fit and held-out figures; writes DIR/calibration.json.");

    private CalibrateMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return 0;
        }
        try {
            return calibrate(Options.parse(args), "./prdimp calibrate " + String.join(" ", args), out, err);
        } catch (IllegalArgumentException | SequenceException | ModelException e) {
            err.println("prdimp: error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("prdimp: error: " + e.getMessage());
            return 1;
        } catch (RuntimeException | LinkageError e) {
            err.println("prdimp: error: unexpected failure (" + PeerRuns.oneLine(e) + "); run with"
                    + " PRDIMP_JAVA_OPTS=-Dprdimp.debug=true for details");
            if (Boolean.getBoolean("prdimp.debug")) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    static final class Options {
        Path model;
        final List<Path> validation = new ArrayList<>();
        List<String> kinds = Arrays.asList(DEFAULT_KINDS.split(","));
        long seed = DEFAULT_SEED;
        int passes = 1;
        boolean fromCurrent;
        int maxTracks = 10;
        int maxFrames = 150;
        int minTrackFrames = 30;
        List<String> features = DEFAULT_FEATURES;
        Path dump;
        Path fromDump;
        Path cache = Paths.get("out", "eval-cache");
        DeviceChoice device = DeviceChoice.AUTO;
        int threads;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--model": o.model = Paths.get(value(args, ++i, a)); break;
                    case "--validation":
                        while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            o.validation.add(Paths.get(args[++i]));
                        }
                        if (o.validation.isEmpty()) {
                            throw new IllegalArgumentException("--validation needs at least one folder");
                        }
                        break;
                    case "--procedural": {
                        String v = value(args, ++i, a);
                        o.kinds = v.equals("none") ? List.of() : Arrays.asList(v.split(","));
                        break;
                    }
                    case "--seed": o.seed = Long.parseLong(value(args, ++i, a)); break;
                    case "--passes": o.passes = positive(args, ++i, a); break;
                    case "--from-current": o.fromCurrent = true; break;
                    case "--max-tracks": o.maxTracks = positive(args, ++i, a); break;
                    case "--max-frames": o.maxFrames = positive(args, ++i, a); break;
                    case "--min-track-frames": o.minTrackFrames = positive(args, ++i, a); break;
                    case "--features": o.features = Arrays.asList(value(args, ++i, a).split(",")); break;
                    case "--dump": o.dump = Paths.get(value(args, ++i, a)); break;
                    case "--from-dump": o.fromDump = Paths.get(value(args, ++i, a)); break;
                    case "--cache": o.cache = Paths.get(value(args, ++i, a)); break;
                    case "--device": o.device = DeviceChoice.valueOf(value(args, ++i, a).toUpperCase(Locale.ROOT)); break;
                    case "--threads": o.threads = positive(args, ++i, a); break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + a + "' (prdimp calibrate --help)");
                }
            }
            if (o.model == null) {
                throw new IllegalArgumentException("calibrate needs --model DIR (the model folder to calibrate)");
            }
            for (String f : o.features) {
                if (Evidence.index(f) < 0) {
                    throw new IllegalArgumentException("unknown feature '" + f + "' in --features; known: "
                            + String.join(",", Evidence.NAMES));
                }
            }
            if (o.validation.isEmpty()) {
                o.validation.add(Paths.get("..", "shared", "data", "training"));
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String[] args, int i, String option) {
            String v = value(args, i, option);
            try {
                int n = Integer.parseInt(v);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(option + " needs a positive whole number, not '" + v + "'");
        }
    }

    static int calibrate(Options o, String command, PrintStream out, PrintStream err)
            throws SequenceException, ModelException, IOException {
        if (o.fromDump != null) {
            FrameOutcomes[] split = readDump(o.fromDump);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("command", command);
            info.put("validation", "the validation frames of the dump " + o.fromDump.getFileName() + " ("
                    + split[0].samples.size() + " to fit, " + split[1].samples.size() + " held out)");
            info.put("pass", 1);
            fitAndReport(o, split[0], split[1], ModelFolder.openUncalibrated(o.model).weightsSha256(), info, 1, out);
            out.println("wrote " + o.model.resolve(Calibration.FILE));
            return 0;
        }
        if (o.threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(o.threads));
        }
        List<Sequence> sequences = validationSequences(o, err);
        List<Sequence> fitSet = new ArrayList<>();
        List<Sequence> checkSet = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            (i % 4 == 3 ? checkSet : fitSet).add(sequences.get(i));
        }
        int frames = sequences.stream().mapToInt(Sequence::length).sum();
        err.printf(Locale.ROOT, "prdimp calibrate: %d validation sequences, %d frames (%d to fit, %d held out)%n",
                sequences.size(), frames, fitSet.size(), checkSet.size());
        for (int pass = 1; pass <= o.passes; pass++) {
            ModelFolder folder = pass == 1 && !o.fromCurrent ? ModelFolder.openUncalibrated(o.model) : ModelFolder.open(o.model);
            FrameOutcomes fit = new FrameOutcomes();
            FrameOutcomes check = new FrameOutcomes();
            try (TrackingEngine engine = TrackingEngine.open(folder, o.device)) {
                Calibration current = folder.calibration();
                int done = 0;
                for (Sequence s : sequences) {
                    TrackRecord r = PrdimpRuns.run("prdimp", engine, s);
                    (checkSet.contains(s) ? check : fit).add(r, current);
                    if (++done % 10 == 0 || done == sequences.size()) {
                        err.printf(Locale.ROOT, "prdimp calibrate: pass %d/%d, %d/%d sequences%n", pass, o.passes, done,
                                sequences.size());
                    }
                }
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("command", command);
            info.put("validation", describe(o, sequences));
            info.put("pass", pass);
            fitAndReport(o, fit, check, folder.weightsSha256(), info, pass, out);
            if (pass == o.passes && o.dump != null) {
                dump(o.dump, fit, check);
            }
        }
        out.println("wrote " + o.model.resolve(Calibration.FILE));
        return 0;
    }

    /** Fits the map on {@code fit}, checks it on {@code check}, writes it into the model folder and prints the figures. */
    private static void fitAndReport(Options o, FrameOutcomes fit, FrameOutcomes check, String weightsSha256,
                                     Map<String, Object> info, int pass, PrintStream out) throws IOException {
        Set<String> heldOut = new HashSet<>();
        for (String w : check.sampleWhere) {
            heldOut.add(w.substring(0, w.lastIndexOf(',')));
        }
        {
            Calibration cal = CalibrationFit.fit(fit.samples, o.features, weightsSha256, info);
            Reliability fitted = reliability(fit.samples, cal);
            Reliability held = reliability(check.samples, cal);
            Map<String, Object> heldInfo = new LinkedHashMap<>(cal.fit);
            heldInfo.put("held_out_sequences", heldOut.size());
            heldInfo.put("held_out", figures(held));
            heldInfo.put("fit_figures", figures(fitted));
            if (cal.colour != null) {
                heldInfo.put("held_out_grey", figures(reliability(domain(check.samples, false), cal)));
                heldInfo.put("held_out_colour", figures(reliability(domain(check.samples, true), cal)));
            }
            cal = cal.withFit(heldInfo);
            cal.write(o.model.resolve(Calibration.FILE));
            out.printf(Locale.ROOT, "pass %d: tracked threshold %.2f, lost threshold %.2f, sigma %s%n", pass,
                    cal.trackedThreshold, cal.lostThreshold, sigma(cal));
            out.println("  fit      " + line(fitted));
            out.println("  held out " + line(held));
            if (cal.colour != null) {
                out.println("  held out, grey sources   " + line(reliability(domain(check.samples, false), cal)));
                out.println("  held out, colour sources " + line(reliability(domain(check.samples, true), cal)));
                out.printf(Locale.ROOT, "  colour sources' map: tracked threshold %.2f, lost threshold %.2f, sigma %s%n",
                        cal.colour.trackedThreshold, cal.colour.lostThreshold, sigma(cal.colour));
            }
            // the same fit with format 2's one sigma factor per domain, for comparison
            Calibration one = CalibrationFit.fit(fit.samples, o.features, null, weightsSha256, null);
            out.printf(Locale.ROOT, "  held-out sigma 95%% coverage with one sigma factor instead (format 2): %s%n",
                    cal.colour == null ? String.format(Locale.ROOT, "%.3f", reliability(check.samples, one).sigmaCoverage())
                            : String.format(Locale.ROOT, "grey %.3f, colour %.3f",
                                    reliability(domain(check.samples, false), one).sigmaCoverage(),
                                    reliability(domain(check.samples, true), one).sigmaCoverage()));
            out.println("  held-out trade-off of the tracked threshold (failures flagged / flags on failures):");
            for (boolean colour : cal.colour == null ? new boolean[] {false} : new boolean[] {false, true}) {
                List<CalibrationFit.Sample> d = cal.colour == null ? check.samples : domain(check.samples, colour);
                StringBuilder sb = new StringBuilder(cal.colour == null ? "    all  " : colour ? "    colour" : "    grey  ");
                for (int t = 30; t <= 70; t += 5) {
                    double[] ff = tradeOff(d, cal, t / 100.0);
                    sb.append(String.format(Locale.ROOT, "  %.2f: %.2f/%.2f", t / 100.0, ff[0], ff[1]));
                }
                out.println(sb);
            }
        }
    }

    /** How a domain's map makes sigma from the map's spread. */
    static String sigma(Calibration map) {
        return map.sigmaModel == null ? String.format(Locale.ROOT, "x %.3f", map.sigmaScale)
                : "k x map spread, " + map.sigmaModel;
    }

    /** Failures flagged and flags on failures when frames below {@code tracked} (or without a box) are flagged. */
    static double[] tradeOff(List<CalibrationFit.Sample> samples, Calibration cal, double tracked) {
        int flags = 0;
        int failures = 0;
        int hits = 0;
        for (CalibrationFit.Sample x : samples) {
            boolean flag = !x.hasBox() || cal.probability(x.evidence()) < tracked;
            flags += flag ? 1 : 0;
            failures += x.success() ? 0 : 1;
            hits += flag && !x.success() ? 1 : 0;
        }
        return new double[] {failures == 0 ? Double.NaN : hits / (double) failures, flags == 0 ? Double.NaN : hits / (double) flags};
    }

    /** The samples of grey or colour sources. */
    static List<CalibrationFit.Sample> domain(List<CalibrationFit.Sample> samples, boolean colour) {
        List<CalibrationFit.Sample> out = new ArrayList<>();
        for (CalibrationFit.Sample x : samples) {
            if (x.evidence().colourSource() == colour) {
                out.add(x);
            }
        }
        return out;
    }

    /** Figures of a map on validation samples (probabilities, states and sigmas recomputed with it). */
    static Reliability reliability(List<CalibrationFit.Sample> samples, Calibration cal) {
        int n = samples.size();
        double[] c = new double[n];
        boolean[] s = new boolean[n];
        boolean[] f = new boolean[n];
        int[] cov = new int[n];
        for (int i = 0; i < n; i++) {
            CalibrationFit.Sample x = samples.get(i);
            c[i] = cal.probability(x.evidence());
            s[i] = x.success();
            Calibration m = cal.forEvidence(x.evidence());
            boolean tracked = org.prdimp.fiji.engine.TargetState.of(c[i], x.hasBox(), m.trackedThreshold, m.lostThreshold) == org.prdimp.fiji.engine.TargetState.TRACKED;
            f[i] = !tracked;
            double k = cal.sigmaScale(x.evidence());
            cov[i] = tracked ? Reliability.covered(x.dx(), x.dy(), k * x.rawSx(), k * x.rawSy()) : -1;
        }
        return new Reliability(c, s, f, cov);
    }

    static Map<String, Object> figures(Reliability r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", r.frames());
        m.put("success_rate", r.successRate());
        m.put("ece", r.ece());
        m.put("failure_auroc", r.failureAuroc());
        m.put("failures_flagged", r.failuresFlagged());
        m.put("flags_on_failures", r.flagsOnFailures());
        m.put("sigma_coverage_95", r.sigmaCoverage());
        return m;
    }

    static String line(Reliability r) {
        return String.format(Locale.ROOT, "%d frames, success %.3f: ECE %.3f, AUROC %.3f, failures flagged %.3f,"
                        + " flags on failures %.3f, sigma 95%% coverage %.3f (%d tracked frames)", r.frames(), r.successRate(),
                r.ece(), r.failureAuroc(), r.failuresFlagged(), r.flagsOnFailures(), r.sigmaCoverage(), r.coverageFrames());
    }

    private static String describe(Options o, List<Sequence> sequences) {
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (Sequence s : sequences) {
            groups.merge(s.group, 1, Integer::sum);
        }
        return groups.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))
                + "; procedural seeds from " + o.seed + ", at most " + o.maxFrames + " frames per sequence, "
                + o.maxTracks + " tracks per folder";
    }

    /** The validation sequences: the real folders (capped) and one procedural time-lapse per kind. */
    static List<Sequence> validationSequences(Options o, PrintStream err) throws SequenceException {
        List<Sequence> out = new ArrayList<>();
        for (Path root : o.validation) {
            if (!Files.isDirectory(root)) {
                throw new SequenceException(root + " is not a folder; give validation sequence folders with --validation"
                        + " (the default ../shared/data/training is absent here)");
            }
            for (Path folder : datasetFolders(root)) {
                List<Sequence> found;
                try {
                    found = readFolder(folder, o.minTrackFrames);
                    Inputs.frameCount(found.isEmpty() ? folder : found.get(0).input); // readable frames?
                } catch (SequenceException e) {
                    err.println("prdimp: note: left out " + folder + ": " + e.getMessage());
                    continue;
                }
                out.addAll(capped(spaced(found, o.maxTracks), o.maxFrames));
            }
        }
        for (int i = 0; i < o.kinds.size(); i++) {
            List<Sequence> proc = new ProceduralSequences(o.kinds.get(i), 1, o.seed + i, 0)
                    .read(ModelLocator.modelsDir(), o.cache);
            out.addAll(capped(spaced(proc, o.maxTracks), o.maxFrames));
        }
        if (out.isEmpty()) {
            throw new SequenceException("no validation sequence found in " + o.validation);
        }
        out.sort((a, b) -> a.name.compareTo(b.name));
        return out;
    }

    /** The folder itself when it holds a dataset, else its subfolders (a folder of datasets). */
    private static List<Path> datasetFolders(Path root) throws SequenceException {
        if (isDataset(root)) {
            return List.of(root);
        }
        try (Stream<Path> s = Files.list(root)) {
            List<Path> subs = s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
            List<Path> out = new ArrayList<>();
            for (Path p : subs) {
                if (isDataset(p)) {
                    out.add(p);
                }
            }
            return out;
        } catch (IOException e) {
            throw new SequenceException("cannot list " + root + ": " + e.getMessage());
        }
    }

    private static boolean isDataset(Path folder) throws SequenceException {
        return CtcFolder.matches(folder) || BoxFolder.matches(folder) || boxTable(folder) != null;
    }

    private static List<Sequence> readFolder(Path folder, int minTrackFrames) throws SequenceException {
        String group = folder.toAbsolutePath().normalize().getFileName().toString();
        if (CtcFolder.matches(folder)) {
            return CtcFolder.read(folder, group, minTrackFrames);
        }
        if (BoxFolder.matches(folder)) {
            return List.of(BoxFolder.read(folder, group));
        }
        // a frames folder NN/ and a box table tracks_bbox_*.csv (track_id,frame,x,y,w,h,...)
        Path table = boxTable(folder);
        Path frames = framesFolder(folder);
        int count = Inputs.frameCount(frames);
        List<Sequence> out = new ArrayList<>();
        for (Map.Entry<Integer, Map<Integer, org.prdimp.fiji.engine.Box>> t : CtcFolder.boxesFromTable(table).entrySet()) {
            for (int[] run : CtcFolder.runs(t.getValue().keySet(), minTrackFrames)) {
                if (run[1] >= count) {
                    continue;
                }
                org.prdimp.fiji.engine.Box[] truth = new org.prdimp.fiji.engine.Box[run[1] - run[0] + 1];
                for (int f = run[0]; f <= run[1]; f++) {
                    truth[f - run[0]] = t.getValue().get(f);
                }
                out.add(new Sequence(group + "/track" + t.getKey() + (run[0] == 0 ? "" : "@" + run[0]), group, frames, run[0],
                        truth));
            }
        }
        return out;
    }

    private static Path boxTable(Path folder) throws SequenceException {
        if (framesFolder(folder) == null) {
            return null;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("tracks_bbox_.*\\.csv")).sorted().findFirst().orElse(null);
        } catch (IOException e) {
            throw new SequenceException("cannot list " + folder + ": " + e.getMessage());
        }
    }

    private static Path framesFolder(Path folder) throws SequenceException {
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> nn = s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("\\d\\d"))
                    .sorted().collect(Collectors.toList());
            return nn.size() == 1 ? nn.get(0) : null;
        } catch (IOException e) {
            throw new SequenceException("cannot list " + folder + ": " + e.getMessage());
        }
    }

    /** At most {@code max} sequences, evenly spaced in name order. */
    static List<Sequence> spaced(List<Sequence> all, int max) {
        List<Sequence> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> a.name.compareTo(b.name));
        if (sorted.size() <= max) {
            return sorted;
        }
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            out.add(sorted.get((int) ((long) i * sorted.size() / max)));
        }
        return out;
    }

    /** Each sequence cut to its first {@code maxFrames} frames. */
    static List<Sequence> capped(List<Sequence> all, int maxFrames) {
        List<Sequence> out = new ArrayList<>();
        for (Sequence s : all) {
            out.add(s.length() <= maxFrames ? s
                    : new Sequence(s.name, s.group, s.input, s.first, Arrays.copyOf(s.truth, maxFrames)));
        }
        return out;
    }

    /** Reads a {@code --dump} CSV back: its fit frames and its held-out frames. */
    static FrameOutcomes[] readDump(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a file; give the CSV written by calibrate --dump");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> head = lines.isEmpty() ? List.of() : Arrays.asList(lines.get(0).split(",", -1));
        String[] fixed = {"split", "sequence", "frame", "success", "has_box", "dx", "dy", "raw_sx", "raw_sy"};
        int[] col = new int[fixed.length + Evidence.NAMES.size()];
        for (int j = 0; j < col.length; j++) {
            String name = j < fixed.length ? fixed[j] : Evidence.NAMES.get(j - fixed.length);
            col[j] = head.indexOf(name);
            if (col[j] < 0) {
                throw new IllegalArgumentException(file + " has no column '" + name + "'; give a CSV written by calibrate"
                        + " --dump with this version (rerun calibrate with --dump)");
            }
        }
        FrameOutcomes[] out = {new FrameOutcomes(), new FrameOutcomes()};
        for (int n = 1; n < lines.size(); n++) {
            if (lines.get(n).isEmpty()) {
                continue;
            }
            String[] f = lines.get(n).split(",", -1);
            try {
                double[] v = new double[col.length];
                for (int j = 3; j < col.length; j++) {
                    v[j] = Double.parseDouble(f[col[j]]);
                }
                double[] ev = Arrays.copyOfRange(v, fixed.length, col.length);
                FrameOutcomes o = out["held_out".equals(f[col[0]]) ? 1 : 0];
                o.samples.add(new CalibrationFit.Sample(new Evidence(ev), v[3] > 0.5, v[4] > 0.5, v[5], v[6], v[7], v[8],
                        f[col[1]]));
                o.sampleWhere.add(f[col[1]] + "," + f[col[2]]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + " is not a frame of a calibrate dump ("
                        + e.getMessage() + ")");
            }
        }
        if (out[0].samples.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no fit frames");
        }
        return out;
    }

    private static void dump(Path file, FrameOutcomes fit, FrameOutcomes check) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("split,sequence,frame,success,has_box,dx,dy,raw_sx,raw_sy," + String.join(",", Evidence.NAMES));
            w.newLine();
            for (int k = 0; k < 2; k++) {
                FrameOutcomes o = k == 0 ? fit : check;
                for (int i = 0; i < o.samples.size(); i++) {
                    CalibrationFit.Sample s = o.samples.get(i);
                    StringBuilder sb = new StringBuilder(k == 0 ? "fit" : "held_out").append(',').append(o.sampleWhere.get(i));
                    sb.append(',').append(s.success() ? 1 : 0).append(',').append(s.hasBox() ? 1 : 0);
                    for (double v : new double[] {s.dx(), s.dy(), s.rawSx(), s.rawSy()}) {
                        sb.append(',').append(String.format(Locale.ROOT, "%.5g", v));
                    }
                    for (double v : s.evidence().values()) {
                        sb.append(',').append(String.format(Locale.ROOT, "%.5g", v));
                    }
                    w.write(sb.toString());
                    w.newLine();
                }
            }
        }
    }
}
