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
        List<String> lines = Files.readAllLines(csv);
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
        assertEquals(1 + 4, Files.readAllLines(csv).size());
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
