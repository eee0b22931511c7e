package org.prdimp.fiji.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.CallTimes;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.TrackerParams;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.run.TrackingException;
import org.prdimp.fiji.setup.Machine;

/**
 * {@code prdimp bench}: speed and memory of the tracking engine, printed and written as Markdown and
 * JSON ({@code DATE-DEVICE.md/.json} in the out folder). It measures (a) frames per second for one
 * target with the compact model and with a PrDiMP-18 (ResNet-18) model, (b) 20 targets tracked in
 * one batch per frame against 20 single-target runs, (c) the share of frame time spent outside
 * network calls, (d) initialisation time for 1 and 20 targets, (e) the Java heap and resident memory
 * over a long 1024x1024 virtual stack. Goals are printed with PASS or MISS; a MISS is a result, not a
 * failure: the exit code is 0 unless something could not run (1), or the arguments are wrong
 * (IllegalArgumentException).
 */
public final class Benchmark {
    /** Frames per second of OpenCV's CSRT on the same frames (lower end of 26-87 fps on 2 cores). */
    static final double CSRT_FPS = 26;
    static final double R18_FPS = 10;
    static final double BATCH_SPEEDUP = 3;
    static final double OVERHEAD_PERCENT = 15;
    static final double HEAP_MB = 1024;

    private static final int SPEED_SIZE = 512;
    private static final int HEAP_SIZE = 1024;
    private static final long SCENE_SEED = 2026;

    private final BenchOptions o;
    private final PrintStream out;
    private final PrintStream err;
    private final Report report;

    private Benchmark(BenchOptions o, PrintStream out, PrintStream err, Report report) {
        this.o = o;
        this.out = out;
        this.err = err;
        this.report = report;
    }

    /** Runs {@code prdimp bench}; returns the exit code. @throws IllegalArgumentException for wrong use */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions o = BenchOptions.parse(args);
        Path modelsDir = modelsDir();
        Path compactDir = modelsDir.resolve("compact-init");
        if (!Files.isDirectory(compactDir)) {
            throw new IllegalArgumentException("the compact model " + compactDir + " is not there; run from the repository"
                    + " folder or set -Dprdimp.models.dir");
        }
        LocalDate date = LocalDate.now();
        try (TrackingEngine compact = TrackingEngine.open(compactDir, o.device)) {
            String device = compact.network().device().isGpu() ? "gpu" : "cpu";
            Report report = new Report("PrDiMP for Fiji benchmark, " + date + ", " + device + (o.quick ? " (quick)" : ""), out);
            report.measuredOn = Machine.measuredOn(compact.network().device());
            out.println("bench: " + report.measuredOnText().replace("**", ""));
            report.about.put("date", date.toString());
            report.about.put("device", device);
            report.about.put("mode", o.quick ? "quick" : "full");
            Benchmark b = new Benchmark(o, out, err, report);
            Machine.describe(report.environment, TrackingEngine.pytorch(), report.measuredOn);
            out.println("bench: " + compact.summary().replaceAll(" \\((CPU|CUDA) build, [^)]*\\)", " ($1 build)"));
            b.describeSetup(compact);
            String loadBefore = Machine.loadAverage();
            b.memory(compact);
            b.speed(compact, "compact", "compact model", CSRT_FPS, "as fast as CSRT, >= " + (int) CSRT_FPS + " frames/s");
            b.batching(compact);
            b.r18(modelsDir);
            String loadAfter = Machine.loadAverage();
            if (loadBefore != null && loadAfter != null) {
                report.environment.put("load average (1 min) at start, at end", loadBefore + ", " + loadAfter + " (on "
                        + Runtime.getRuntime().availableProcessors() + " cores: higher means other work shared them)");
            }
            Path md = report.write(o.out, date + "-" + device + (o.quick ? "-quick" : ""));
            out.println("bench: wrote " + md + " and " + md.getFileName().toString().replace(".md", ".json"));
            return 0;
        } catch (ModelException | InputException | TrackingException e) {
            err.println("prdimp: error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("prdimp: error: cannot write the report into " + o.out + " (" + e.getMessage() + "); give a writable --out DIR");
            return 1;
        } catch (RuntimeException e) {
            err.println("prdimp: error: the benchmark failed: " + e + "; nothing was written");
            return 1;
        }
    }

    /** The models folder: system property {@code prdimp.models.dir}, else {@code models/} here. */
    static Path modelsDir() {
        String dir = System.getProperty("prdimp.models.dir");
        return dir != null ? Paths.get(dir) : Paths.get("models");
    }

    private Scene speedScene() {
        return new Scene(SPEED_SIZE, SPEED_SIZE, o.warmup + o.timed + 1, o.batchTargets, 20, 36, SCENE_SEED);
    }

    private Scene heapScene() {
        return new Scene(HEAP_SIZE, HEAP_SIZE, o.heapFrames, 8, 80, 110, SCENE_SEED + 1);
    }

    private void describeSetup(TrackingEngine compact) {
        TrackerParams p = new TrackerParams(compact.model());
        Scene s = speedScene();
        Map<String, String> setup = report.setup;
        setup.put("mode", o.quick ? "quick (smoke test: few frames, figures only indicative)" : "full");
        setup.put("speed sequence", String.format(Locale.ROOT, "%dx%d 16-bit, %d frames, %d drifting ellipses of 20-36 px on a"
                + " noisy background, drawn once into an in-memory ImageJ stack and read through ImagePlusFrameSource and"
                + " NormalizedFrames", s.width, s.height, s.frames, s.objectCount()));
        setup.put("network input", p.cropSize + "x" + p.cropSize + " crops, search area " + p.searchAreaScale + " x target");
        setup.put("warm-up", "every run initialises its targets on frame 0 and tracks frames 1-" + o.warmup + " untimed"
                + (o.warmup >= 2 * p.updateInterval ? " (two classifier updates, so TorchScript has specialised every method"
                + " for the run's batch size)" : "") + "; frames " + (o.warmup + 1) + "-" + (o.warmup + o.timed) + " are timed");
        setup.put("frame time", "reading + normalising the frame + tracker.track(); frames/s = 1000 / mean frame time");
        setup.put("batching", o.batchTargets + " targets in one tracker (one batch per frame) against " + o.batchTargets
                + " single-target trackers, over the same timed frames; tracker.track() time only");
        setup.put("initialisation", "addTargets on frame 0 of a fresh tracker; " + (o.initWarmup ? "one untimed call per target"
                + " count, then the median of " + o.initRepeats + " calls" : "one call per target count, no warm-up"));
        Scene h = heapScene();
        Box b = h.box(0, 0);
        setup.put("memory run", String.format(Locale.ROOT, "%dx%d 16-bit ij.VirtualStack drawing each frame on demand (no"
                + " file), %d frames, 1 target of %.0fx%.0f px, tracked by TrackingRun (as the front ends); heap sampled after"
                + " every frame, first and last %d frames compared; flat = live heap (after a full GC) grows by at most"
                + " %.0f MB", h.width, h.height, h.frames, b.w, b.h, Math.min(500, Math.max(1, h.frames / 3)),
                HeapBench.FLAT_GROWTH_MB));
        setup.put("seed", "tracker " + org.prdimp.fiji.run.TrackingRun.SEED + ", scenes " + SCENE_SEED + " and " + (SCENE_SEED + 1));
    }

    /** (e) Heap and resident memory over a long virtual stack, compact model. */
    private void memory(TrackingEngine engine) throws InputException, TrackingException, IOException {
        out.println("bench: (e) memory over " + o.heapFrames + " frames of " + HEAP_SIZE + "x" + HEAP_SIZE + ", compact model");
        HeapBench.Result r = HeapBench.run(engine, heapScene(), err);
        if (r.failure != null) {
            throw new TrackingException("the memory run stopped: " + r.failure);
        }
        String w = "first " + r.window + " frames";
        String l = "last " + r.window + " frames";
        report.add("memory.peak_heap_mb", "memory run: peak Java heap (sum of heap pools' peaks, garbage included)",
                r.poolPeakMb, "MB", 0, "flat and < " + (int) HEAP_MB + " MB", r.flat() && r.poolPeakMb < HEAP_MB);
        report.add("memory.sampled_peak_mb", "memory run: largest used heap sampled after a frame", r.sampledPeakMb, "MB", 0);
        report.add("memory.first_window_max_mb", "memory run: largest used heap, " + w, r.firstWindowMaxMb, "MB", 0);
        report.add("memory.last_window_max_mb", "memory run: largest used heap, " + l, r.lastWindowMaxMb, "MB", 0);
        report.add("memory.live_first_mb", "memory run: live heap after a full GC, after the " + w, r.liveFirstMb, "MB", 1);
        report.add("memory.live_end_mb", "memory run: live heap after a full GC, after the last frame", r.liveEndMb, "MB", 1,
                "flat: at most " + (int) HeapBench.FLAT_GROWTH_MB + " MB above the previous line", r.flat());
        if (r.rssPeakMb > 0) {
            report.add("memory.rss_first_mb", "memory run: process RSS (Java + libtorch), largest over the " + w,
                    r.rssFirstMaxMb, "MB", 0);
            report.add("memory.rss_last_mb", "memory run: process RSS (Java + libtorch), largest over the " + l,
                    r.rssLastMaxMb, "MB", 0);
            report.add("memory.rss_peak_mb", "memory run: process peak RSS so far (VmHWM)", r.rssPeakMb, "MB", 0);
        } else {
            report.notes.add("process RSS not measured: /proc/self/status is not available on this system");
        }
        report.add("memory.committed_first_mb", "memory run: Java heap committed, largest over the " + w, r.committedFirstMaxMb,
                "MB", 0);
        report.add("memory.committed_last_mb", "memory run: Java heap committed, largest over the " + l, r.committedLastMaxMb,
                "MB", 0);
        if (r.rssPeakMb > 0 && r.rssLastMaxMb - r.rssFirstMaxMb > HeapBench.FLAT_GROWTH_MB) {
            report.notes.add(String.format(Locale.ROOT, "memory run: the process RSS grew by %.0f MB from the first to the last"
                    + " window while the live heap stayed at %.0f MB; RSS also counts Java heap pages the first time the JVM uses"
                    + " them (heap committed up to %.0f MB, then up to %.0f MB); with -Xms1g -Xmx1g -XX:+AlwaysPreTouch only the native"
                    + " (libtorch) part can grow", r.rssLastMaxMb - r.rssFirstMaxMb, r.liveEndMb, r.committedFirstMaxMb,
                    r.committedLastMaxMb));
        }
        report.add("memory.ms_per_frame", "memory run: ms/frame at " + HEAP_SIZE + "x" + HEAP_SIZE + ", drawing the frame included",
                1000 * r.seconds / Math.max(1, r.frames), "ms", 1);
    }

    /** (a), (c), (d) for one model. */
    private void speed(TrackingEngine engine, String key, String name, double fpsGoal, String goalText) throws InputException {
        Scene scene = speedScene();
        NormalizedFrames frames = SpeedBench.inMemory(scene);
        out.println("bench: (a) " + name + ", single target: " + o.timed + " timed frames of " + scene.width + "x" + scene.height);
        SpeedBench.Timing t = SpeedBench.run(engine, frames, scene.boxes(1, 0), o.warmup, o.timed);
        double[] frame = t.frameMs();
        double mean = Stats.mean(frame);
        report.add(key + ".ms_mean", name + ", single target: mean frame time", mean, "ms", 1);
        report.add(key + ".ms_median", name + ", single target: median frame time", Stats.median(frame), "ms", 1);
        report.add(key + ".fps", name + ", single target: frames per second", 1000 / mean, "frames/s", 1, goalText,
                1000 / mean >= fpsGoal);
        double share = 1 - Stats.sum(t.modelMs) / Stats.sum(frame);
        report.add(key + ".outside_model_pct", name + ", single target: share of frame time outside network calls",
                100 * share, "%", 1, "< " + (int) OVERHEAD_PERCENT + " %", 100 * share < OVERHEAD_PERCENT);
        profile(name + ", single target", t);
        report.notes.add(name + ", single target, states over the timed frames: " + t.states);
        init(engine, scene, frames, key, name);
    }

    /** (d) Initialisation of 1 and of {@code batchTargets} targets; the profile of the last one. */
    private void init(TrackingEngine engine, Scene scene, NormalizedFrames frames, String key, String name) throws InputException {
        out.println("bench: (d) " + name + ": initialisation of 1 and " + o.batchTargets + " targets");
        CallTimes calls = engine.network().callTimes();
        for (int count : new int[] {1, o.batchTargets}) {
            List<Box> boxes = scene.boxes(count, 0);
            if (o.initWarmup) {
                SpeedBench.initMs(engine, frames.frame(0), boxes);
            }
            double[] ms = new double[o.initRepeats];
            for (int i = 0; i < ms.length; i++) {
                calls.reset();
                ms[i] = SpeedBench.initMs(engine, frames.frame(0), boxes);
            }
            String what = count + (count == 1 ? " target" : " targets");
            report.add(key + ".init_" + count + "_ms", name + ": initialisation (addTargets), " + what, Stats.median(ms), "ms", 0);
            if (count == o.batchTargets) {
                initProfile(name + ", " + what, calls.snapshot(), ms[ms.length - 1]);
            }
        }
    }

    /** (b) Many targets in one batch against one run per target, compact model. */
    private void batching(TrackingEngine engine) throws InputException {
        int n = o.batchTargets;
        Scene scene = speedScene();
        NormalizedFrames frames = SpeedBench.inMemory(scene);
        out.println("bench: (b) compact model: " + n + " targets in one batch against " + n + " single-target runs");
        SpeedBench.Timing batch = SpeedBench.run(engine, frames, scene.boxes(n, 0), o.warmup, o.timed);
        double batchMs = Stats.sum(batch.trackMs);
        double singleMs = 0;
        StateCount singleStates = new StateCount();
        for (int i = 0; i < n; i++) {
            SpeedBench.Timing single = SpeedBench.run(engine, frames, List.of(scene.box(i, 0)), o.warmup, o.timed);
            singleMs += Stats.sum(single.trackMs);
            singleStates.addAll(single.states);
        }
        double targetFrames = (double) n * o.timed;
        double batched = 1000 * targetFrames / batchMs;
        double separate = 1000 * targetFrames / singleMs;
        report.add("batch.batched_target_fps", "compact model, " + n + " targets in one batch: target-frames per second",
                batched, "target-frames/s", 1);
        report.add("batch.single_target_fps", "compact model, " + n + " single-target runs: target-frames per second",
                separate, "target-frames/s", 1);
        report.add("batch.speedup", "compact model, speed-up of batching " + n + " targets", batched / separate, "x", 2,
                ">= " + (int) BATCH_SPEEDUP + " x", batched / separate >= BATCH_SPEEDUP);
        report.add("batch.ms_mean", "compact model, " + n + " targets in one batch: mean frame time",
                Stats.mean(batch.frameMs()), "ms", 1);
        double share = 1 - Stats.sum(batch.modelMs) / Stats.sum(batch.frameMs());
        report.add("batch.outside_model_pct", "compact model, " + n + " targets in one batch: share of frame time outside"
                + " network calls", 100 * share, "%", 1);
        profile("compact model, " + n + " targets in one batch", batch);
        out.println("bench: network cost per target at batch size 1 and " + n + ", compact model");
        Report.Table scaling = BatchScaling.measure(engine.network(), new TrackerParams(engine.model()), n);
        report.tables.put("Network cost per target by batch size: compact model", scaling);
        for (String[] r : scaling.rows) {
            out.println("bench:   " + r[0] + ": " + r[1] + " ms per target alone, " + r[2] + " in a batch of " + n);
        }
        report.notes.add("compact model, " + n + " targets in one batch, states over the timed frames: " + batch.states
                + "; in the " + n + " single-target runs: " + singleStates);
    }

    /** (a), (c), (d) for the PrDiMP-18 model, given or generated; skipped with a reason when it cannot be had. */
    private void r18(Path modelsDir) throws InputException {
        if (o.noR18) {
            report.notes.add("PrDiMP-18 (ResNet-18) model: not measured (--no-r18)");
            return;
        }
        R18Model model;
        if (o.r18 != null) {
            model = R18Model.given(o.r18);
        } else {
            out.println("bench: generating the random PrDiMP-18 model with python3 -m prdimp.convert.testmodels (about 30 s)");
            try {
                model = R18Model.generate(modelsDir);
            } catch (IOException e) {
                String why = "PrDiMP-18 (ResNet-18) model skipped: cannot generate it (" + e.getMessage()
                        + "); give one with --r18 DIR";
                out.println("bench: " + why);
                report.notes.add(why);
                return;
            }
        }
        try (R18Model m = model; TrackingEngine engine = TrackingEngine.open(m.folder, o.device)) {
            report.setup.put("PrDiMP-18 model", m.origin + ", variant " + engine.model().variant());
            speed(engine, "r18", "PrDiMP-18 (ResNet-18)", R18_FPS, ">= " + (int) R18_FPS + " frames/s");
        } catch (ModelException e) {
            throw new InputException("the PrDiMP-18 model could not be opened: " + e.getMessage(), e);
        }
    }

    /** Per network method and the rest, in ms per frame and share of the frame time. */
    private void profile(String title, SpeedBench.Timing t) {
        int n = t.frames();
        double frame = Stats.sum(t.frameMs());
        double model = Stats.sum(t.modelMs);
        double track = Stats.sum(t.trackMs);
        double read = Stats.sum(t.readMs);
        Report.Table table = new Report.Table("part", "calls", "ms per frame", "share of frame time (%)");
        StringBuilder sb = new StringBuilder("bench:   where the time goes:");
        for (CallTimes.Entry e : t.methods.values()) {
            table.row("network: " + e.method, String.valueOf(e.calls), ms(e.millis() / n), percent(e.millis() / frame));
            sb.append(' ').append(e.method).append(' ').append(percent(e.millis() / frame)).append("%,");
        }
        table.row("network calls, all", "", ms(model / n), percent(model / frame));
        table.row("engine outside the network (crops, tensor copies, peak analysis, bookkeeping)", "", ms((track - model) / n),
                percent((track - model) / frame));
        table.row("reading and normalising the frame", "", ms(read / n), percent(read / frame));
        table.row("frame", "", ms(frame / n), "100.0");
        report.tables.put("Where the frame time goes: " + title, table);
        out.println(sb.append(" engine outside the network ").append(percent((track - model) / frame))
                .append("%, reading + normalising ").append(percent(read / frame)).append('%'));
    }

    /** Per network method and the rest of one initialisation. */
    private void initProfile(String title, Map<String, CallTimes.Entry> methods, double totalMs) {
        Report.Table table = new Report.Table("part", "calls", "ms", "share of initialisation time (%)");
        double model = 0;
        for (CallTimes.Entry e : methods.values()) {
            table.row("network: " + e.method, String.valueOf(e.calls), ms(e.millis()), percent(e.millis() / totalMs));
            model += e.millis();
        }
        table.row("engine outside the network (augmented crops, tensor copies)", "", ms(totalMs - model),
                percent((totalMs - model) / totalMs));
        table.row("initialisation", "", ms(totalMs), "100.0");
        report.tables.put("Where the initialisation time goes: " + title, table);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f", 100 * share);
    }
}
