package org.prdimp.fiji.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import boofcv.concurrency.BoofConcurrency;
import org.bytedeco.opencv.global.opencv_core;
import org.prdimp.fiji.setup.Machine;
import org.prdimp.fiji.setup.ModelLocator;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.ModelFolder;
import org.prdimp.fiji.engine.TrackingEngine;

/**
 * {@code prdimp eval}: runs our tracker (one or more model folders, through the shared engine and run loop)
 * and the classical peers on the same sequences, then writes the report ({@link ReportWriter}) and prints
 * one summary line per tracker. Exit codes as the rest of the CLI: 0 done, 1 failed while running, 2 wrong
 * use or bad input (one line naming the problem and the fix).
 */
public final class EvalMain {
    static final String USAGE = String.join("\n",
            "usage: prdimp eval --out FOLDER [--sequences DIR...] [--procedural N [--seed S] [--preset P] [--frames N]]",
            "                   [--model DIR... | --no-model] [--peers " + Peer.DEFAULT + " | none]",
            "                   [--device auto|cpu|gpu] [--threads N] [--min-track-frames N] [--cache DIR] [--nanotrack DIR]",
            "  --sequences  OTB, LaSOT, GOT-10k or Cell Tracking Challenge folders, or folders of them; NAME=DIR puts",
            "               the folder's sequences in group NAME (default: a CTC folder's name, else the folder's name)",
            "  --procedural N time-lapses from the project's generator (seeds S, S+1, ...; default S 1, preset nuclei),",
            "               generated once into --cache (default out/eval-cache); each track is a sequence",
            "  --model      model folders to compare (default: the bundled model); --no-model runs the peers only.",
            "               DIR@key=value[,key=value...] runs the folder with those tracker parameters replaced, e.g.",
            "               --model models/default models/default@box_refinement=false compares refinement on and off",
            "  --threads    threads for libtorch, OpenCV and BoofCV (default: each library's own)",
            "  --min-track-frames  a CTC track is a sequence when present in this many consecutive frames (default 40)",
            "  --nanotrack  folder of NanoTrack v2's nanotrack_backbone_sim.onnx + nanotrack_head_sim.onnx for the peer",
            "               nanotrack (default ../shared/models/nanotrack/v2 beside the repository; skipped where absent)",
            "Writes FOLDER/report.md, FOLDER/scores.csv, FOLDER/timing.csv (where the time goes) and success/precision",
            "plots per group (PNG).");

    private EvalMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, "./prdimp eval", System.out, System.err));
    }

    /** Runs {@code eval} with {@code args} (without the command word); returns the exit code. */
    public static int run(String[] args, String commandName, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return 0;
        }
        try {
            EvalOptions o = EvalOptions.parse(args, 0);
            return evaluate(o, commandName + " " + String.join(" ", quoted(args)), out, err);
        } catch (IllegalArgumentException | SequenceException | ModelException e) {
            err.println("prdimp: error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("prdimp: error: cannot write the report: " + e.getMessage() + "; choose a writable --out folder");
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

    static int evaluate(EvalOptions o, String command, PrintStream out, PrintStream err)
            throws SequenceException, ModelException, IOException {
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String loadBefore = Machine.loadAverage();
        for (String note : o.notes) {
            err.println("prdimp: note: " + note);
        }
        Peer.nanoTrackFolder = o.nanoTrack;
        if (o.threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(o.threads));
            opencv_core.setNumThreads(o.threads);
            BoofConcurrency.setMaxThreads(o.threads);
            Peer.maxThreads = o.threads;
        }
        List<ModelSpec> specs = o.noModel ? List.of() : o.models.isEmpty() ? List.of(ModelSpec.of(ModelLocator.bundled()))
                : o.models;
        List<ModelFolder> models = new ArrayList<>();
        for (ModelSpec spec : specs) { // every folder and override is checked before anything runs
            models.add(spec.open());
        }
        List<Sequence> sequences = new ArrayList<>();
        for (int i = 0; i < o.sequences.size(); i++) {
            sequences.addAll(SequenceFolders.read(o.sequences.get(i), o.groups.get(i), o.minTrackFrames));
        }
        if (o.procedural > 0) {
            sequences.addAll(new ProceduralSequences(o.preset, o.procedural, o.seed, o.proceduralFrames)
                    .read(ModelLocator.modelsDir(), o.cache));
        }
        checkUniqueNames(sequences);
        Results results = new Results(sequences);
        err.printf("prdimp eval: %d sequences%n", sequences.size());
        for (int i = 0; i < specs.size(); i++) {
            String note = ModelLocator.note(specs.get(i).folder);
            if (note != null) {
                err.println("prdimp: note: " + note);
            }
            try (TrackingEngine engine = TrackingEngine.open(models.get(i), o.device)) {
                if (engine.deviceNote() != null) {
                    err.println("prdimp: note: " + engine.deviceNote());
                }
                String name = uniqueName(specs.get(i).trackerName(engine.model()), results);
                String overrides = engine.model().trackerOverridesText();
                results.trackers.put(name, new Results.TrackerInfo(name, "PrDiMP, model " + engine.model().name() + " ("
                        + engine.model().variant() + ")" + (overrides.isEmpty() ? "" : ", tracker parameters replaced: "
                        + overrides.replace(",", ", ")) + ", DJL " + Engine.getDjlVersion() + ", libtorch "
                        + LibUtils.getVersion(),
                        engine.network().device().isGpu() ? "GPU " + engine.network().device().getDeviceId() : "CPU",
                        JniUtils.getNumThreads() + " (libtorch intra-op)"));
                PrdimpRuns.run(name, engine, sequences.get(0).warmUp()); // untimed: first-call costs stay out of the figures
                for (Sequence s : sequences) {
                    results.add(PrdimpRuns.run(name, engine, s));
                    progress(err, name, s, results);
                }
            }
        }
        for (Peer p : o.peers) {
            results.trackers.put(p.key, new Results.TrackerInfo(p.key, p.label, "CPU", p.threads()));
        }
        if (!o.peers.isEmpty()) {
            PrintStream stdout = System.out;
            System.setOut(err); // what the peer libraries print (BoofCV's warnings) goes to stderr: stdout keeps the summary
            try {
                PeerRuns.run(sequences.get(0).warmUp(), o.peers); // untimed: loading OpenCV's natives, class loading
                for (Sequence s : sequences) {
                    for (TrackRecord r : PeerRuns.run(s, o.peers)) {
                        results.add(r);
                    }
                    progress(err, "peers", s, results);
                }
            } finally {
                System.setOut(stdout);
            }
        }
        ReportWriter.write(o.out, results, command, started, loadBefore);
        for (String t : results.trackers.keySet()) {
            Results.Mean m = results.mean(t, sequences);
            Results.TrackerInfo info = results.trackers.get(t);
            out.printf(Locale.ROOT, "%-22s %d sequences, %d frames: AUC %.3f  P@20 %.3f  NP@0.2 %.3f  CHS %.3f  AO %.3f"
                    + "  SR0.5 %.3f  SR0.75 %.3f  lost %d  %s fps, init %s ms (%s, threads %s)%n", t, m.sequences, m.frames,
                    m.auc, m.precision20, m.normalisedPrecision, m.centreInHalfSize, m.ao, m.sr50, m.sr75, m.lost,
                    ReportWriter.number(m.fps(), 1), ReportWriter.number(1000 * m.initSeconds, 0), info.device, info.threads);
        }
        Results views = ExtentReport.views(results);
        if (views != null) { // the same runs against the objects' whole extent (a CTC gold segmentation)
            for (String t : views.trackers.keySet()) {
                Results.Mean m = views.mean(t, views.sequences);
                out.printf(Locale.ROOT, "%-22s vs segmentation, %d sequences, %d frames: AUC %.3f  P@20 %.3f  AO %.3f  SR0.5 %.3f"
                        + "  SR0.75 %.3f%n", t, m.sequences, m.frames, m.auc, m.precision20, m.ao, m.sr50, m.sr75);
            }
        }
        out.println("report: " + o.out.resolve("report.md"));
        return 0;
    }

    private static void progress(PrintStream err, String tracker, Sequence s, Results results) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "prdimp eval: %s %s (%d frames):", tracker, s.name,
                s.length()));
        for (String t : results.trackers.keySet()) {
            SequenceScore sc = results.score(t, s);
            if (sc != null && (tracker.equals("peers") || tracker.equals(t))) {
                sb.append(String.format(Locale.ROOT, " %s AUC %.3f", t, sc.auc));
            }
        }
        err.println(sb);
    }

    private static void checkUniqueNames(List<Sequence> sequences) throws SequenceException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Sequence s : sequences) {
            if (!seen.add(s.name)) {
                throw new SequenceException("the sequence " + s.name + " is given twice; give each folder once");
            }
        }
    }

    private static String uniqueName(String base, Results results) {
        String name = base;
        for (int k = 2; results.trackers.containsKey(name); k++) {
            name = base + "#" + k;
        }
        return name;
    }

    private static List<String> quoted(String[] args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.matches("[A-Za-z0-9_./:,=@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return out;
    }
}
