package org.prdimp.fiji.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;

import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.io.ImagePlusFrameSource;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.run.FrameRange;
import org.prdimp.fiji.run.TrackingException;
import org.prdimp.fiji.run.TrackingListener;
import org.prdimp.fiji.run.TrackingRun;
import org.prdimp.fiji.run.TrackingSession;
import org.prdimp.fiji.setup.Machine;

/**
 * Memory while tracking one target through a long virtual stack drawn on demand, read through
 * {@link ImagePlusFrameSource} and {@link NormalizedFrames} and tracked by {@link TrackingRun}, as the
 * front ends do. After every frame it samples the used Java heap and the process's resident memory;
 * the heap pools' peaks (reset at the start) bound the heap from above, garbage included. The live
 * heap (after a full collection) is read at the end of the first window of frames and at the end.
 */
final class HeapBench {
    /** Growth of the live heap that still counts as flat. */
    static final double FLAT_GROWTH_MB = 32;

    static final class Result {
        int frames;
        int window;
        double seconds;
        double poolPeakMb;
        double sampledPeakMb;
        double firstWindowMaxMb;
        double lastWindowMaxMb;
        double liveFirstMb;
        double liveEndMb;
        double committedFirstMaxMb;
        double committedLastMaxMb;
        double rssFirstMaxMb = -1;
        double rssLastMaxMb = -1;
        double rssPeakMb = -1;
        String failure;

        boolean flat() {
            return liveEndMb - liveFirstMb <= FLAT_GROWTH_MB;
        }
    }

    private HeapBench() {
    }

    static Result run(TrackingEngine engine, Scene scene, PrintStream progress) throws InputException, TrackingException, IOException {
        Result r = new Result();
        int n = scene.frames;
        r.window = Math.min(500, Math.max(1, n / 3));
        ImagePlus imp = new ImagePlus("synthetic virtual stack", new SceneStack(scene));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        try (ImagePlusFrameSource source = new ImagePlusFrameSource(imp, 1, TrackingAxis.AUTO)) {
            NormalizedFrames frames = new NormalizedFrames(source);
            System.gc();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            TrackingListener sampler = new TrackingListener() {
                @Override
                public void frameTracked(int frame, List<TargetResult> results) {
                    MemoryUsage heap = memory.getHeapMemoryUsage();
                    double used = heap.getUsed() / 1048576.0;
                    double committed = heap.getCommitted() / 1048576.0;
                    double rss = Machine.rssMb();
                    r.sampledPeakMb = Math.max(r.sampledPeakMb, used);
                    if (frame < r.window) {
                        r.firstWindowMaxMb = Math.max(r.firstWindowMaxMb, used);
                        r.rssFirstMaxMb = Math.max(r.rssFirstMaxMb, rss);
                        r.committedFirstMaxMb = Math.max(r.committedFirstMaxMb, committed);
                    }
                    if (frame >= n - r.window) {
                        r.lastWindowMaxMb = Math.max(r.lastWindowMaxMb, used);
                        r.rssLastMaxMb = Math.max(r.rssLastMaxMb, rss);
                        r.committedLastMaxMb = Math.max(r.committedLastMaxMb, committed);
                    }
                    if (frame == r.window - 1) {
                        r.liveFirstMb = liveMb(memory);
                    }
                    if (frame == n - 1) {
                        r.liveEndMb = liveMb(memory);
                    }
                    if ((frame + 1) % Math.max(1, n / 10) == 0) {
                        progress.printf(Locale.ROOT, "prdimp: bench: memory run, frame %d/%d, heap %.0f MB, RSS %.0f MB%n",
                                frame + 1, n, used, rss);
                    }
                }
            };
            TrackingRun.Outcome outcome = TrackingSession.ofBoxes(frames, List.of(scene.box(0, 0)), FrameRange.all(n))
                    .engine(engine).listener(sampler).run().outcome;
            r.frames = outcome.framesTracked;
            r.seconds = outcome.seconds;
            r.failure = outcome.failure;
        }
        double peak = 0;
        for (MemoryPoolMXBean p : pools) {
            if (p.getType() == MemoryType.HEAP && p.isValid()) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        r.poolPeakMb = peak / 1048576.0;
        r.rssPeakMb = Machine.rssPeakMb();
        return r;
    }

    /** Used heap after a full collection (as requested by {@link System#gc()}). */
    private static double liveMb(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed() / 1048576.0;
    }
}
