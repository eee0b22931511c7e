package org.prdimp.fiji.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ShortProcessor;

/** Small sequence folders written by the tests: 8-bit PNG frames, 16-bit TIFF marker masks, text files. */
final class Fixtures {
    static final int W = 40;
    static final int H = 30;

    private Fixtures() {
    }

    /** {@code count} grey PNG frames named by {@code pattern} (e.g. "%04d.jpg" style, 1-based) into {@code dir}. */
    static void frames(Path dir, String pattern, int count) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    img.getRaster().setSample(x, y, 0, (x * 5 + y * 3 + i * 7) % 256);
                }
            }
            ImageIO.write(img, "png", dir.resolve(String.format(pattern, i + 1)).toFile());
        }
    }

    static void text(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A 16-bit label image of the fixture size with the given rectangles x, y, w, h filled with their labels. */
    static void mask(Path file, int[]... labelledRects) throws IOException {
        short[] pixels = new short[W * H];
        for (int[] r : labelledRects) {
            for (int y = r[2]; y < r[2] + r[4]; y++) {
                for (int x = r[1]; x < r[1] + r[3]; x++) {
                    pixels[y * W + x] = (short) r[0];
                }
            }
        }
        Files.createDirectories(file.getParent());
        if (!new FileSaver(new ImagePlus("mask", new ShortProcessor(W, H, pixels, null))).saveAsTiff(file.toString())) {
            throw new IOException("cannot write " + file);
        }
    }
}
