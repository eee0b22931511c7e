package org.prdimp.fiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderTest {
    @TempDir
    Path dir;

    /** frame1..frame12 written in a shuffled order, so only natural sorting gives frame i at index i-1. */
    private static final int[] WRITE_ORDER = {7, 12, 1, 10, 3, 11, 2, 5, 9, 4, 8, 6};

    @Test
    void pngFolderInNaturalOrderWithExactPixels() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("png"));
        for (int i : WRITE_ORDER) {
            ImagePlus imp = new ImagePlus("f", TestImages.frame(8, i, TestImages.W, TestImages.H));
            assertTrue(new FileSaver(imp).saveAsPng(folder.resolve("frame" + i + ".png").toString()));
        }
        Files.writeString(folder.resolve("notes.txt"), "ignored");
        Files.createDirectory(folder.resolve("sub.png")); // a folder, not an image: ignored
        try (FrameSource src = FrameSources.open(folder, 1, TrackingAxis.AUTO)) {
            assertEquals(12, src.frameCount());
            assertEquals(1, src.channels());
            assertEquals("png/: 12 frames of 16x8, 8-bit greyscale (folder of images)", src.description());
            for (int f = 0; f < 12; f++) {
                assertArrayEquals(TestImages.expected(8, f + 1, TestImages.W, TestImages.H)[0], src.readRaw(f)[0], "frame" + (f + 1));
            }
        }
    }

    @Test
    void jpegFolderInNaturalOrder() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("jpeg"));
        FileSaver.setJpegQuality(100);
        for (int i : WRITE_ORDER) {
            ByteProcessor ip = new ByteProcessor(TestImages.W, TestImages.H);
            ip.setValue(i * 20);
            ip.fill();
            assertTrue(new FileSaver(new ImagePlus("f", ip)).saveAsJpeg(folder.resolve("frame" + i + ".jpg").toString()));
        }
        try (FrameSource src = FrameSources.open(folder, 1, TrackingAxis.TIME)) {
            assertEquals(12, src.frameCount());
            assertEquals(1, src.channels());
            for (int f = 0; f < 12; f++) {
                float[] p = src.readRaw(f)[0];
                assertEquals((f + 1) * 20, p[0], 2.0, "uniform grey level of frame" + (f + 1));
                assertEquals((f + 1) * 20, p[p.length - 1], 2.0);
            }
        }
    }

    @Test
    void rgbAnd16BitPngs() throws Exception {
        Path rgb = Files.createDirectory(dir.resolve("rgb"));
        for (int f = 0; f < 3; f++) {
            ColorProcessor cp = (ColorProcessor) TestImages.frame(24, f, TestImages.W, TestImages.H);
            assertTrue(new FileSaver(new ImagePlus("c", cp)).saveAsPng(rgb.resolve("c" + f + ".png").toString()));
        }
        try (FrameSource src = FrameSources.open(rgb, 1, TrackingAxis.AUTO)) {
            assertEquals(3, src.channels());
            float[][] want = TestImages.expected(24, 2, TestImages.W, TestImages.H);
            float[][] got = src.readRaw(2);
            for (int c = 0; c < 3; c++) {
                assertArrayEquals(want[c], got[c], "plane " + c);
            }
        }
        Path grey16 = Files.createDirectory(dir.resolve("grey16"));
        for (int f = 0; f < 2; f++) {
            BufferedImage img = new BufferedImage(TestImages.W, TestImages.H, BufferedImage.TYPE_USHORT_GRAY);
            for (int y = 0; y < TestImages.H; y++) {
                for (int x = 0; x < TestImages.W; x++) {
                    img.getRaster().setSample(x, y, 0, TestImages.gray16(f, x, y));
                }
            }
            assertTrue(ImageIO.write(img, "png", grey16.resolve("g" + f + ".png").toFile()));
        }
        try (FrameSource src = FrameSources.open(grey16, 1, TrackingAxis.AUTO)) {
            assertTrue(src.description().contains("16-bit greyscale"), src.description());
            assertArrayEquals(TestImages.expected(16, 1, TestImages.W, TestImages.H)[0], src.readRaw(1)[0]);
        }
    }

    @Test
    void tiffFolderMixedWithPng() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("mixed"));
        TestImages.saveTiff(new ImagePlus("a", TestImages.frame(8, 0, TestImages.W, TestImages.H)), folder.resolve("a1.tif"));
        assertTrue(new FileSaver(new ImagePlus("b", TestImages.frame(8, 1, TestImages.W, TestImages.H)))
                .saveAsPng(folder.resolve("a2.png").toString()));
        try (FrameSource src = FrameSources.open(folder, 1, TrackingAxis.AUTO)) {
            assertEquals(2, src.frameCount());
            assertArrayEquals(TestImages.expected(8, 0, TestImages.W, TestImages.H)[0], src.readRaw(0)[0]);
            assertArrayEquals(TestImages.expected(8, 1, TestImages.W, TestImages.H)[0], src.readRaw(1)[0]);
        }
    }

    @Test
    void filesAreReadOnlyWhenTheirFrameIsRequested() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("lazy"));
        for (int f = 1; f <= 3; f++) {
            TestImages.saveTiff(new ImagePlus("x", TestImages.frame(16, f, TestImages.W, TestImages.H)), folder.resolve("x" + f + ".tif"));
        }
        try (FrameSource src = FrameSources.open(folder, 1, TrackingAxis.AUTO)) {
            // replace frame 3's file after opening: the new pixels must be what is read
            TestImages.saveTiff(new ImagePlus("x", TestImages.frame(16, 9, TestImages.W, TestImages.H)), folder.resolve("x3.tif"));
            assertArrayEquals(TestImages.expected(16, 9, TestImages.W, TestImages.H)[0], src.readRaw(2)[0]);
        }
    }

    @Test
    void singlePngIsOneFrame() throws Exception {
        Path png = dir.resolve("single.png");
        assertTrue(new FileSaver(new ImagePlus("s", TestImages.frame(24, 4, TestImages.W, TestImages.H))).saveAsPng(png.toString()));
        try (FrameSource src = FrameSources.open(png, 1, TrackingAxis.AUTO)) {
            assertEquals(1, src.frameCount());
            assertEquals("single.png: 1 frame of 16x8, RGB", src.description());
            assertArrayEquals(TestImages.expected(24, 4, TestImages.W, TestImages.H)[2], src.readRaw(0)[2]);
        }
    }

    @Test
    void mismatchedSizesNameTheFirstFileThatDiffers() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("sizes"));
        List<Path> files = new ArrayList<>();
        for (int f = 1; f <= 4; f++) {
            int w = f >= 3 ? TestImages.W + 1 : TestImages.W;
            Path p = folder.resolve("img" + f + ".png");
            assertTrue(new FileSaver(new ImagePlus("x", TestImages.frame(8, f, w, TestImages.H))).saveAsPng(p.toString()));
            files.add(p);
        }
        InputException e = assertThrows(InputException.class, () -> FrameSources.open(folder, 1, TrackingAxis.AUTO));
        String m = e.getMessage();
        assertTrue(m.contains(files.get(2).toAbsolutePath().toString()), m);
        assertTrue(m.contains("17x8") && m.contains("16x8") && m.contains("same size"), m);
        assertTrue(!m.contains("\n"), "one line");
    }

    @Test
    void mismatchedTypesAreRejected() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("types"));
        assertTrue(new FileSaver(new ImagePlus("g", TestImages.frame(8, 0, TestImages.W, TestImages.H))).saveAsPng(folder.resolve("a1.png").toString()));
        assertTrue(new FileSaver(new ImagePlus("c", TestImages.frame(24, 0, TestImages.W, TestImages.H))).saveAsPng(folder.resolve("a2.png").toString()));
        InputException e = assertThrows(InputException.class, () -> FrameSources.open(folder, 1, TrackingAxis.AUTO));
        assertTrue(e.getMessage().contains("a2.png") && e.getMessage().contains("RGB"), e.getMessage());
    }

    @Test
    void emptyFolderAndStacksInsideAFolderAreRejected() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "no images");
        InputException e = assertThrows(InputException.class, () -> FrameSources.open(empty, 1, TrackingAxis.AUTO));
        assertTrue(e.getMessage().contains(empty.toAbsolutePath().toString()) && e.getMessage().contains("no TIFF, PNG or JPEG"), e.getMessage());

        Path stacks = Files.createDirectory(dir.resolve("stacks"));
        TestImages.saveTiff(TestImages.stack("s", 8, 3), stacks.resolve("s.tif"));
        e = assertThrows(InputException.class, () -> FrameSources.open(stacks, 1, TrackingAxis.AUTO));
        assertTrue(e.getMessage().contains("holds 3 images") && e.getMessage().contains("one frame"), e.getMessage());
    }

    @Test
    void folderHasOnlyChannelOne() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("ch"));
        assertTrue(new FileSaver(new ImagePlus("g", TestImages.frame(8, 0, TestImages.W, TestImages.H))).saveAsPng(folder.resolve("a.png").toString()));
        InputException e = assertThrows(InputException.class, () -> FrameSources.open(folder, 2, TrackingAxis.AUTO));
        assertTrue(e.getMessage().contains("channel 2 does not exist") && e.getMessage().contains("Choose channel 1"), e.getMessage());
    }
}
