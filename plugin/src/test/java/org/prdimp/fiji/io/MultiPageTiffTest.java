package org.prdimp.fiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-page TIFFs not written by ImageJ (one IFD per page, LZW-compressed), as microscopes and other tools write them. */
class MultiPageTiffTest {
    @TempDir
    Path dir;

    private static Path writeLzwPages(Path file, int pages) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("LZW");
            writer.prepareWriteSequence(null);
            for (int f = 0; f < pages; f++) {
                BufferedImage img = new BufferedImage(TestImages.W, TestImages.H, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < TestImages.H; y++) {
                    for (int x = 0; x < TestImages.W; x++) {
                        img.getRaster().setSample(x, y, 0, TestImages.gray8(f, x, y));
                    }
                }
                writer.writeToSequence(new IIOImage(img, null, null), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return file;
    }

    @Test
    void readsCompressedPagesExactly() throws Exception {
        Path p = writeLzwPages(dir.resolve("lzw.tif"), 5);
        try (FrameSource src = FrameSources.open(p, 1, TrackingAxis.AUTO)) {
            assertEquals(5, src.frameCount());
            for (int f = 0; f < 5; f++) {
                assertArrayEquals(TestImages.expected(8, f, TestImages.W, TestImages.H)[0], src.readRaw(f)[0], "page " + f);
            }
        }
    }

    @Test
    void truncatedPagesAreReported() throws Exception {
        Path p = writeLzwPages(dir.resolve("cut.tif"), 5);
        byte[] all = Files.readAllBytes(p);
        // pages are written one after another: cutting the file loses the data of some page
        Files.write(p, Arrays.copyOf(all, all.length * 3 / 4));
        InputException e = assertThrows(InputException.class, () -> {
            try (FrameSource src = FrameSources.open(p, 1, TrackingAxis.AUTO)) {
                for (int f = 0; f < src.frameCount(); f++) {
                    src.readRaw(f);
                }
            }
        });
        assertTrue(e.getMessage().contains(p.toAbsolutePath().toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    /** Offsets of the image directories of a classic TIFF, in chain order. */
    private static java.util.List<Long> directories(byte[] tiff) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(tiff).order(tiff[0] == 'I'
                ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (long o = b.getInt(4) & 0xffffffffL; o != 0; ) {
            out.add(o);
            int n = b.getShort((int) o) & 0xffff;
            o = b.getInt((int) o + 2 + 12 * n) & 0xffffffffL;
        }
        return out;
    }

    @Test
    void aFileCutBetweenImagesIsReportedNotSilentlyShorter() throws Exception {
        Path p = writeLzwPages(dir.resolve("chain.tif"), 6);
        byte[] all = Files.readAllBytes(p);
        java.util.List<Long> ifds = directories(all);
        assertEquals(6, ifds.size());
        // cut where the 4th directory starts: images 1-3 are complete, the chain of directories breaks
        long cut = ifds.get(3);
        assertTrue(ifds.stream().allMatch(o -> o <= cut || o > cut), "layout");
        Files.write(p, Arrays.copyOf(all, (int) cut));
        InputException e = assertThrows(InputException.class, () -> FrameSources.open(p, 1, TrackingAxis.AUTO).close());
        assertTrue(e.getMessage().contains("truncated (the chain of images breaks after image 3"), e.getMessage());
    }
}
