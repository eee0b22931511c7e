package org.prdimp.fiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ShortProcessor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prdimp.fiji.engine.Frame;
import org.prdimp.fiji.engine.IntensityNormalizer;

class NormalizedFramesTest {
    @TempDir
    Path dir;

    @Test
    void referenceFramesAreTheFirstAndUpToFourEvenlySpaced() {
        assertArrayEquals(new int[0], NormalizedFrames.referenceIndices(0));
        assertArrayEquals(new int[] {0}, NormalizedFrames.referenceIndices(1));
        assertArrayEquals(new int[] {0, 1}, NormalizedFrames.referenceIndices(2));
        assertArrayEquals(new int[] {0, 1, 2}, NormalizedFrames.referenceIndices(3));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, NormalizedFrames.referenceIndices(5));
        assertArrayEquals(new int[] {0, 22, 45, 68, 91}, NormalizedFrames.referenceIndices(92));
    }

    /** 16-bit frames; frame f holds values 100*f .. 100*f + 127, plus a hot pixel in frame 3 (not a reference frame). */
    private static ImagePlus rampStack(int frames) {
        ImageStack stack = new ImageStack(16, 8);
        for (int f = 0; f < frames; f++) {
            ShortProcessor ip = new ShortProcessor(16, 8);
            for (int i = 0; i < 128; i++) {
                ip.set(i, 100 * f + i);
            }
            if (f == 3) {
                ip.set(5, 60000);
            }
            stack.addSlice(null, ip);
        }
        return new ImagePlus("ramp", stack);
    }

    @Test
    void oneNormaliserFromTheReferenceFramesOfATiff() throws Exception {
        Path file = TestImages.saveTiff(rampStack(9), dir.resolve("ramp.tif"));
        try (FrameSource src = FrameSources.open(file, 1, TrackingAxis.AUTO)) {
            NormalizedFrames frames = new NormalizedFrames(src);
            int[] refs = NormalizedFrames.referenceIndices(9);
            assertArrayEquals(new int[] {0, 2, 4, 6, 8}, refs);
            float[][] refPlanes = new float[refs.length][];
            for (int k = 0; k < refs.length; k++) {
                refPlanes[k] = src.readRaw(refs[k])[0];
            }
            IntensityNormalizer want = IntensityNormalizer.fromPlanes(refPlanes);
            assertEquals(want.low(), frames.low());
            assertEquals(want.high(), frames.high());
            assertTrue(frames.low() < 10 && frames.high() > 900 && frames.high() < 1000, frames.low() + ".." + frames.high());

            Frame f3 = frames.frame(3);
            assertEquals(16, f3.width);
            assertEquals(8, f3.height);
            assertEquals(1, f3.channelCount());
            float[] expected = want.apply(src.readRaw(3)[0]);
            assertArrayEquals(expected, f3.channels[0]);
            assertEquals(1f, f3.channels[0][5], "the hot pixel is clamped");
            for (float v : frames.frame(8).channels[0]) {
                assertTrue(v >= 0 && v <= 1);
            }
        }
    }

    @Test
    void rgbFramesShareOneMap() throws Exception {
        Path file = TestImages.saveTiff(TestImages.stack("rgb", 24, 3), dir.resolve("rgb.tif"));
        try (FrameSource src = FrameSources.open(file, 1, TrackingAxis.AUTO)) {
            NormalizedFrames frames = new NormalizedFrames(src);
            Frame f = frames.frame(1);
            assertEquals(3, f.channelCount());
            float[][] raw = src.readRaw(1);
            for (int c = 0; c < 3; c++) {
                assertArrayEquals(frames.normalizer().apply(raw[c]), f.channels[c]);
            }
        }
    }
}
