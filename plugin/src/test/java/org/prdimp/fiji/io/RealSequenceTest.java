package org.prdimp.fiji.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.prdimp.fiji.engine.Frame;
import org.prdimp.fiji.engine.TestPaths;

/** The Cell Tracking Challenge sequence Fluo-N2DH-GOWT1/01 (92 LZW-compressed 8-bit TIFFs), when present beside the repository. */
class RealSequenceTest {
    @Test
    void opensTheCtcFolder() throws Exception {
        Path folder = TestPaths.repoRoot().resolve("../shared/data/sequences/ctc_Fluo-N2DH-GOWT1_01/01").normalize();
        Assumptions.assumeTrue(Files.isDirectory(folder), "CTC Fluo-N2DH-GOWT1/01 not present beside the repository; skipped");
        try (FrameSource src = FrameSources.open(folder, 1, TrackingAxis.AUTO)) {
            assertEquals(92, src.frameCount());
            assertEquals(1024, src.width());
            assertEquals(1024, src.height());
            assertEquals(1, src.channels());
            assertEquals("01/: 92 frames of 1024x1024, 8-bit greyscale (folder of images)", src.description());
            assertEquals("t091.tif", ((FileListFrameSource) src).file(91).getFileName().toString());
            float[] last = src.readRaw(91)[0];
            assertEquals(1024 * 1024, last.length);
            float max = 0;
            for (float v : last) {
                max = Math.max(max, v);
            }
            assertTrue(max > 0 && max <= 255, "max " + max);

            NormalizedFrames frames = new NormalizedFrames(src);
            assertTrue(frames.low() < frames.high(), frames.low() + ".." + frames.high());
            Frame f = frames.frame(0);
            assertEquals(1024, f.width);
        }
    }
}
