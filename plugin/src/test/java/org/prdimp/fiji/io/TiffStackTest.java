package org.prdimp.fiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.LUT;
import java.awt.Color;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TiffStackTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32, 24})
    void readsEveryFrameOfAStackExactly(int bitDepth) throws Exception {
        int n = 5;
        Path file = TestImages.saveTiff(TestImages.stack("s", bitDepth, n), dir.resolve("stack" + bitDepth + ".tif"));
        try (FrameSource src = FrameSources.open(file, 1, TrackingAxis.AUTO)) {
            assertEquals(n, src.frameCount());
            assertEquals(TestImages.W, src.width());
            assertEquals(TestImages.H, src.height());
            assertEquals(bitDepth == 24 ? 3 : 1, src.channels());
            for (int f = n - 1; f >= 0; f--) {
                float[][] raw = src.readRaw(f);
                float[][] want = TestImages.expected(bitDepth, f, TestImages.W, TestImages.H);
                assertEquals(want.length, raw.length);
                for (int c = 0; c < want.length; c++) {
                    assertArrayEquals(want[c], raw[c], "frame " + f + " plane " + c);
                }
            }
            String type = bitDepth == 24 ? "RGB" : bitDepth + "-bit greyscale";
            assertEquals("stack" + bitDepth + ".tif: 5 frames of 16x8, " + type, src.description());
            ImagePlus imp = ((ImagePlusFrameSource) src).image();
            assertTrue(imp.getStack().isVirtual(), "a TIFF file opens as a virtual stack");
        }
    }

    @Test
    void singleImageTiffIsOneFrame() throws Exception {
        ImagePlus imp = new ImagePlus("one", TestImages.frame(16, 3, TestImages.W, TestImages.H));
        Path file = TestImages.saveTiff(imp, dir.resolve("one.tiff"));
        try (FrameSource src = FrameSources.open(file, 1, TrackingAxis.TIME)) {
            assertEquals(1, src.frameCount());
            assertArrayEquals(TestImages.expected(16, 3, TestImages.W, TestImages.H)[0], src.readRaw(0)[0]);
        }
    }

    @Test
    void eightBitWithColourLutGivesStoredValues() throws Exception {
        ImagePlus imp = TestImages.stack("lut", 8, 3);
        imp.setLut(LUT.createLutFromColor(Color.GREEN));
        Path file = TestImages.saveTiff(imp, dir.resolve("lut.tif"));
        try (FrameSource src = FrameSources.open(file, 1, TrackingAxis.AUTO)) {
            assertEquals(1, src.channels());
            assertArrayEquals(TestImages.expected(8, 2, TestImages.W, TestImages.H)[0], src.readRaw(2)[0]);
        }
        ByteProcessor bp = (ByteProcessor) TestImages.frame(8, 4, TestImages.W, TestImages.H);
        bp.setLut(LUT.createLutFromColor(Color.MAGENTA));
        try (FrameSource src = new ImagePlusFrameSource(new ImagePlus("mem", bp), 1, TrackingAxis.AUTO)) {
            assertArrayEquals(TestImages.expected(8, 4, TestImages.W, TestImages.H)[0], src.readRaw(0)[0]);
        }
    }

    @Test
    void hyperstackSelectsChannelAndAxis() throws Exception {
        Path file = TestImages.saveTiff(TestImages.hyperstack(), dir.resolve("hyper.tif"));
        try (FrameSource src = FrameSources.open(file, 2, TrackingAxis.AUTO)) {
            assertEquals(4, src.frameCount(), "AUTO tracks along time when T > 1");
            for (int t = 0; t < 4; t++) {
                assertEquals(TestImages.hyperValue(2, 1, t + 1), src.readRaw(t)[0][0], "c2 z1 t" + (t + 1));
            }
            assertEquals("hyper.tif: 4 frames of 16x8, 16-bit greyscale (time frames at z-slice 1 of 3, channel 2 of 2)",
                    src.description());
        }
        try (FrameSource src = FrameSources.open(file, 1, TrackingAxis.Z)) {
            assertEquals(3, src.frameCount());
            for (int z = 0; z < 3; z++) {
                float[] plane = src.readRaw(z)[0];
                assertEquals(TestImages.hyperValue(1, z + 1, 1), plane[0]);
                assertEquals(TestImages.hyperValue(1, z + 1, 1) + 9, plane[9], "pattern (x+y)%10 at x=9");
            }
        }
        InputException e = assertThrows(InputException.class, () -> FrameSources.open(file, 3, TrackingAxis.TIME));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("has 2 channels") && e.getMessage().contains("from 1 to 2"), e.getMessage());
        assertThrows(InputException.class, () -> FrameSources.open(file, 0, TrackingAxis.TIME));
    }

    @Test
    void hyperstackUsesCurrentPositionForTheOtherAxis() throws Exception {
        ImagePlus imp = TestImages.hyperstack();
        imp.setPosition(1, 2, 3);
        try (ImagePlusFrameSource src = new ImagePlusFrameSource(imp, 2, TrackingAxis.TIME)) {
            assertTrue(src.alongTime());
            assertEquals(4, src.frameCount());
            for (int t = 0; t < 4; t++) {
                assertEquals(TestImages.hyperValue(2, 2, t + 1), src.readRaw(t)[0][0], "t along current z=2");
            }
        }
        try (ImagePlusFrameSource src = new ImagePlusFrameSource(imp, 1, TrackingAxis.Z)) {
            assertFalse(src.alongTime());
            assertEquals(3, src.frameCount());
            for (int z = 0; z < 3; z++) {
                assertEquals(TestImages.hyperValue(1, z + 1, 3), src.readRaw(z)[0][0], "z along current t=3");
            }
        }
    }

    @Test
    void plainStackTracksItsOnlyDimensionWhateverTheAxis() throws Exception {
        ImagePlus plain = TestImages.stack("plain", 8, 6); // ImageJ files a plain stack under Z
        for (TrackingAxis axis : TrackingAxis.values()) {
            try (FrameSource src = new ImagePlusFrameSource(plain, 1, axis)) {
                assertEquals(6, src.frameCount(), axis.name());
                assertArrayEquals(TestImages.expected(8, 5, TestImages.W, TestImages.H)[0], src.readRaw(5)[0]);
            }
        }
        ImagePlus timeOnly = TestImages.stack("t", 8, 6);
        timeOnly.setDimensions(1, 1, 6);
        try (FrameSource src = new ImagePlusFrameSource(timeOnly, 1, TrackingAxis.Z)) {
            assertEquals(6, src.frameCount(), "Z of length 1 falls back to T");
        }
        ImagePlus zt = TestImages.stack("zt", 8, 6);
        zt.setDimensions(1, 2, 3);
        try (ImagePlusFrameSource src = new ImagePlusFrameSource(zt, 1, TrackingAxis.AUTO)) {
            assertTrue(src.alongTime());
            assertEquals(3, src.frameCount());
            assertEquals(5, src.stackIndex(2), "t=3 at z=1 is stack slice 5");
        }
    }

    @Test
    void imageJsOwnVirtualAndLoadedStacksWork() throws Exception {
        Path file = TestImages.saveTiff(TestImages.stack("s", 16, 7), dir.resolve("ij.tif"));
        ImagePlus virtual = ij.IJ.openVirtual(file.toString());
        assertInstanceOf(ij.plugin.FileInfoVirtualStack.class, virtual.getStack());
        ImagePlus loaded = ij.IJ.openImage(file.toString());
        assertFalse(loaded.getStack().isVirtual());
        for (ImagePlus imp : new ImagePlus[] {virtual, loaded}) {
            try (FrameSource src = new ImagePlusFrameSource(imp, 1, TrackingAxis.AUTO)) {
                assertEquals(7, src.frameCount());
                assertArrayEquals(TestImages.expected(16, 6, TestImages.W, TestImages.H)[0], src.readRaw(6)[0]);
            }
        }
    }

    @Test
    void hyperstackOpenedByImageJAsVirtualComposite() throws Exception {
        Path file = TestImages.saveTiff(TestImages.hyperstack(), dir.resolve("hyperij.tif"));
        ImagePlus imp = ij.IJ.openVirtual(file.toString());
        assertTrue(imp.isComposite() && imp.getStack().isVirtual());
        imp.setPosition(2, 3, 1);
        try (FrameSource src = new ImagePlusFrameSource(imp, 1, TrackingAxis.AUTO)) {
            assertEquals(4, src.frameCount());
            assertEquals(TestImages.hyperValue(1, 3, 4), src.readRaw(3)[0][0], "c1 at the current z=3, t4");
        }
    }

    @Test
    void readRawRejectsIndicesOutsideTheSequence() throws Exception {
        try (FrameSource src = new ImagePlusFrameSource(TestImages.stack("s", 8, 3), 1, TrackingAxis.AUTO)) {
            assertThrows(IndexOutOfBoundsException.class, () -> src.readRaw(3));
            assertThrows(IndexOutOfBoundsException.class, () -> src.readRaw(-1));
        }
    }
}
