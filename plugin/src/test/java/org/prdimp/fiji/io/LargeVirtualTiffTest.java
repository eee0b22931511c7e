package org.prdimp.fiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 400-frame 512x512 16-bit TIFF (200 MiB) opens and reads frame by frame without loading the stack. */
class LargeVirtualTiffTest {
    private static final int W = 512;
    private static final int H = 512;
    private static final int N = 400;
    private static final long STACK_BYTES = 2L * W * H * N;

    @TempDir
    Path dir;

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void opensLazilyAndReadsSingleFrames() throws Exception {
        Path file = dir.resolve("large.tif");
        ImagePlus generated = new ImagePlus("large", new TestImages.Generated16BitStack(W, H, N));
        TestImages.saveTiff(generated, file); // streamed frame by frame from the generated virtual stack
        generated = null;
        assertTrue(Files.size(file) >= STACK_BYTES);

        long before = usedHeapAfterGc();
        long t0 = System.nanoTime();
        FrameSource src = FrameSources.open(file, 1, TrackingAxis.AUTO);
        long openMs = (System.nanoTime() - t0) / 1_000_000;
        float[][] last = src.readRaw(N - 1);
        float[][] middle = src.readRaw(N / 2);
        long growth = usedHeapAfterGc() - before;
        System.out.println("LargeVirtualTiffTest: opened " + src.description() + " in " + openMs + " ms; heap growth "
                + growth / (1 << 20) + " MiB for a " + STACK_BYTES / (1 << 20) + " MiB stack");

        assertEquals(N, src.frameCount());
        ImagePlus imp = assertInstanceOf(ImagePlusFrameSource.class, src).image();
        assertTrue(imp.getStack().isVirtual(), "backed by a virtual stack");
        assertArrayEquals(TestImages.expected(16, N - 1, W, H)[0], last[0]);
        assertArrayEquals(TestImages.expected(16, N / 2, W, H)[0], middle[0]);
        assertTrue(growth < STACK_BYTES / 4, "heap grew by " + growth + " bytes; the stack has " + STACK_BYTES);
        src.close();
    }
}
