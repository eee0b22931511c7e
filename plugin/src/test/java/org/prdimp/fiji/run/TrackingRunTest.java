package org.prdimp.fiji.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TrackState;
import org.prdimp.fiji.engine.TestPaths;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.io.FrameSource;
import org.prdimp.fiji.io.ImagePlusFrameSource;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.io.TrackingAxis;

/**
 * The shared run loop with the real engine: results stream to the CSV frame by frame, so a frame
 * that cannot be read, or a cancel, keeps every frame tracked before it.
 */
class TrackingRunTest {
    static TrackingEngine engine;

    @BeforeAll
    static void open() throws Exception {
        engine = TrackingEngine.open(TestPaths.models().resolve("compact-init"), DeviceChoice.CPU);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** A bright 12x12 square moving right by 3 px per frame, as an ImageJ stack. */
    static ImagePlus movingSquare(int frames) {
        ImageStack stack = new ImageStack(96, 96);
        for (int f = 0; f < frames; f++) {
            ByteProcessor ip = new ByteProcessor(96, 96);
            ip.setValue(20);
            ip.fill();
            ip.setValue(220);
            ip.fillRect(20 + 3 * f, 40, 12, 12);
            stack.addSlice(ip);
        }
        return new ImagePlus("square", stack);
    }

    /** The real stack, except that frame {@code broken} cannot be read (as a file lost mid-run; not a
     * reference frame of the normaliser, which reads frames 0, 2, 4, 6, 9 of 10 up front). */
    static FrameSource failingAt(FrameSource real, int broken) {
        return new FrameSource() {
            public int frameCount() { return real.frameCount(); }
            public int width() { return real.width(); }
            public int height() { return real.height(); }
            public int channels() { return real.channels(); }
            public String description() { return real.description(); }
            public float[][] readRaw(int index) throws InputException {
                if (index == broken) {
                    throw new InputException("frame " + index + " cannot be read");
                }
                return real.readRaw(index);
            }
            public void close() { real.close(); }
        };
    }

    @Test
    void aFrameThatFailsKeepsTheFramesBefore(@TempDir Path tmp) throws Exception {
        FrameSource source = failingAt(new ImagePlusFrameSource(movingSquare(10), 1, TrackingAxis.AUTO), 7);
        Path csv = tmp.resolve("r.csv");
        TrackingRun.Outcome outcome;
        try (ResultsCsv out = new ResultsCsv(csv)) {
            outcome = TrackingRun.run(engine, new NormalizedFrames(source), List.of(new Box(20, 40, 12, 12)),
                    FrameRange.all(10), out, () -> false);
        }
        assertFalse(outcome.complete());
        assertTrue(outcome.failure.startsWith("frame 7: "), outcome.failure);
        assertEquals(7, outcome.framesTracked);
        assertFalse(Files.exists(csv), "a failed run never takes the name of a complete file");
        List<String> lines = Files.readAllLines(ResultsCsv.partialName(csv));
        assertEquals(1 + 7, lines.size(), "header and frames 0-6");
        for (int f = 0; f < 7; f++) {
            String[] row = lines.get(1 + f).split(",");
            double cx = Double.parseDouble(row[2]) + Double.parseDouble(row[4]) / 2;
            assertEquals(26 + 3 * f, cx, 1.5, "square centre in frame " + f);
        }
    }

    @Test
    void cancelKeepsTheFramesTracked(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("r.csv");
        int[] frames = {0};
        TrackingRun.Outcome outcome;
        try (ResultsCsv out = new ResultsCsv(csv)) {
            outcome = TrackingRun.run(engine, new NormalizedFrames(new ImagePlusFrameSource(movingSquare(10), 1, TrackingAxis.AUTO)),
                    List.of(new Box(20, 40, 12, 12)), FrameRange.all(10), (f, r) -> {
                        out.frameTracked(f, r);
                        frames[0]++;
                    }, () -> frames[0] >= 4);
        }
        assertTrue(outcome.cancelled);
        assertNull(outcome.failure);
        assertEquals(4, outcome.framesTracked);
        assertFalse(Files.exists(csv));
        assertEquals(1 + 4, Files.readAllLines(tmp.resolve("r.partial.csv")).size());
    }

    /** The moving square as 32-bit frames, with {@code damage} applied to the frames given. */
    static ImagePlus floatSquare(int frames, java.util.function.BiConsumer<Integer, float[]> damage) {
        ImageStack stack = new ImageStack(96, 96);
        ImageStack bytes = movingSquare(frames).getStack();
        for (int f = 0; f < frames; f++) {
            ij.process.FloatProcessor fp = bytes.getProcessor(f + 1).convertToFloatProcessor();
            damage.accept(f, (float[]) fp.getPixels());
            stack.addSlice(fp);
        }
        return new ImagePlus("float square", stack);
    }

    private static List<List<TargetResult>> track(ImagePlus imp, int frames) throws Exception {
        List<List<TargetResult>> all = new java.util.ArrayList<>();
        TrackingRun.Outcome o = TrackingRun.run(engine, new NormalizedFrames(new ImagePlusFrameSource(imp, 1, TrackingAxis.AUTO)),
                List.of(new Box(20, 40, 12, 12)), FrameRange.all(frames), (f, r) -> all.add(r), () -> false);
        assertTrue(o.complete(), String.valueOf(o.failure));
        return all;
    }

    private static void assertOnSquare(TargetResult r, int f) {
        assertTrue(r.found(), "frame " + f + ": " + r);
        assertEquals(26 + 3 * f, r.box.cx(), 3.0, "frame " + f + ": " + r);
        assertEquals(46, r.box.cy(), 3.0, "frame " + f + ": " + r);
    }

    @Test
    void blankAndNanFramesHaveNoSignalAndTrackingResumesAfterThem() throws Exception {
        ImagePlus imp = floatSquare(12, (f, px) -> {
            if (f == 4) {
                java.util.Arrays.fill(px, 0f); // blank
            } else if (f == 5 || f == 8) {
                java.util.Arrays.fill(px, Float.NaN); // all-NaN
            } else if (f == 9) {
                for (int i = 0; i < px.length; i += 3) {
                    px[i] = Float.POSITIVE_INFINITY; // a third of the pixels: still a signal
                }
                for (int i = 1; i < px.length; i += 3) {
                    px[i] = Float.NaN; // two thirds non-finite: mostly non-finite
                }
            }
        });
        List<List<TargetResult>> all = track(imp, 12);
        NoSignalFrames noSignal = new NoSignalFrames();
        for (int f = 0; f < 12; f++) {
            TargetResult r = all.get(f).get(0);
            noSignal.frameTracked(f, all.get(f));
            if (f == 4 || f == 5 || f == 8 || f == 9) {
                assertEquals(TrackState.NO_SIGNAL, r.peakState, "frame " + f);
                assertEquals(org.prdimp.fiji.engine.TargetState.LOST, r.state, "frame " + f);
                assertNull(r.box, "no box without signal");
                assertTrue(Double.isNaN(r.sigmaX));
            } else {
                assertOnSquare(r, f);
            }
        }
        assertEquals(List.of(4, 5, 8, 9), noSignal.frames());
        assertTrue(noSignal.warning().contains("4-5, 8-9"), noSignal.warning());
    }

    @Test
    void tenPercentInfinitePixelsAreTrackedNormally() throws Exception {
        ImagePlus imp = floatSquare(10, (f, px) -> {
            for (int i = 7; i < px.length; i += 10) {
                px[i] = Float.POSITIVE_INFINITY;
            }
        });
        List<List<TargetResult>> all = track(imp, 10);
        for (int f = 0; f < 10; f++) {
            assertOnSquare(all.get(f).get(0), f);
        }
    }

    @Test
    void aFirstFrameWithoutSignalIsRefused() throws Exception {
        ImagePlus imp = floatSquare(6, (f, px) -> {
            if (f == 0) {
                java.util.Arrays.fill(px, Float.NaN);
            }
        });
        TrackingException e = org.junit.jupiter.api.Assertions.assertThrows(TrackingException.class, () -> TrackingRun.run(engine,
                new NormalizedFrames(new ImagePlusFrameSource(imp, 1, TrackingAxis.AUTO)), List.of(new Box(20, 40, 12, 12)),
                FrameRange.all(6), (f, r) -> { }, () -> false));
        assertTrue(e.getMessage().contains("frame 0, which holds the initial boxes, carries no signal"), e.getMessage());
    }

    @Test
    void absurdBoxesWarn() {
        List<String> w = TrackingRun.boxWarnings(96, 96, List.of(new Box(20, 40, 12, 12), new Box(5, 5, 1, 1),
                new Box(0, 0, 384, 384)));
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("box 2 ") && w.get(0).contains("too small"), w.get(0));
        assertTrue(w.get(1).startsWith("box 3 ") && w.get(1).contains("larger than the 96x96 image"), w.get(1));
    }

    @Test
    void frameRangesAreChecked() throws Exception {
        assertEquals("2-9", FrameRange.parse("2-", 10).toString());
        assertEquals(8, FrameRange.parse(" 1 - 8 ", 10).size());
        for (String bad : new String[] {"5-2", "0-10", "-3", "a-b", "4-4", "1-2-3"}) {
            try {
                FrameRange.parse(bad, 10);
                throw new AssertionError(bad + " accepted");
            } catch (TrackingException e) {
                assertTrue(e.getMessage().contains("0-9") || e.getMessage().contains("single frame"), e.getMessage());
            }
        }
    }
}
