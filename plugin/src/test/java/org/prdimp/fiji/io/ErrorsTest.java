package org.prdimp.fiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that cannot be tracked give one-line messages that name the path and the fix. */
class ErrorsTest {
    @TempDir
    Path dir;

    private static InputException openFails(Path p) {
        return assertThrows(InputException.class, () -> FrameSources.open(p, 1, TrackingAxis.AUTO));
    }

    private static void assertNamesPathAndFix(InputException e, Path p, String... words) {
        String m = e.getMessage();
        assertTrue(m.contains(p.toAbsolutePath().toString()), "names the path: " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
        for (String w : words) {
            assertTrue(m.contains(w), "contains '" + w + "': " + m);
        }
    }

    @Test
    void missingPath() {
        Path p = dir.resolve("no-such-file.tif");
        assertNamesPathAndFix(openFails(p), p, "Cannot find", "Check the path");
    }

    @Test
    void corruptTiff() throws Exception {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        junk[0] = 0x13; // never a TIFF byte-order mark
        Path p = Files.write(dir.resolve("corrupt.tif"), junk);
        assertNamesPathAndFix(openFails(p), p, "not a TIFF file", "re-save it as TIFF");
    }

    @Test
    void tiffHeaderFollowedByGarbage() throws Exception {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        junk[0] = 'I';
        junk[1] = 'I';
        junk[2] = 42;
        junk[3] = 0;
        Path p = Files.write(dir.resolve("garbage.tif"), junk);
        assertNamesPathAndFix(openFails(p), p, "Cannot open", "TIFF");
    }

    @Test
    void bigTiffIsExplained() throws Exception {
        byte[] b = {'I', 'I', 43, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        Path p = Files.write(dir.resolve("big.tif"), b);
        assertNamesPathAndFix(openFails(p), p, "BigTIFF", "Bio-Formats");
    }

    @Test
    void corruptPngAndUnknownFormat() throws Exception {
        byte[] junk = new byte[1000];
        new Random(1).nextBytes(junk);
        Path png = Files.write(dir.resolve("corrupt.png"), junk);
        assertNamesPathAndFix(openFails(png), png, "not a supported image format", "TIFF, PNG or JPEG");
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertNamesPathAndFix(openFails(txt), txt, "not a supported image format");
    }

    @Test
    void corruptFileInsideAFolderIsNamed() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("f"));
        TestImages.saveTiff(new ij.ImagePlus("a", TestImages.frame(8, 0, TestImages.W, TestImages.H)), folder.resolve("a1.tif"));
        byte[] junk = new byte[100];
        new Random(3).nextBytes(junk);
        junk[0] = 0x13;
        Path bad = Files.write(folder.resolve("a2.tif"), junk);
        assertNamesPathAndFix(openFails(folder), bad, "not a TIFF file");
    }

    @Test
    void truncatedImageJStackKeepsTheCompleteFrames() throws Exception {
        Path p = TestImages.saveTiff(TestImages.stack("s", 16, 6), dir.resolve("trunc.tif"));
        byte[] all = Files.readAllBytes(p);
        long frameBytes = 2L * TestImages.W * TestImages.H;
        long firstFrame = new ij.io.TiffDecoder(dir.toString() + java.io.File.separator, "trunc.tif").getTiffInfo()[0].getOffset();
        // cut inside frame 5 (index 4): frames 0..3 remain complete
        byte[] head = java.util.Arrays.copyOf(all, (int) (firstFrame + 4 * frameBytes + frameBytes / 2));
        Files.write(p, head);
        try (FrameSource src = FrameSources.open(p, 1, TrackingAxis.AUTO)) {
            assertEquals(4, src.frameCount(), "like ImageJ, only complete frames are kept");
            assertTrue(src.description().contains("(truncated: only the first 4 of its 6 images are complete)"),
                    src.description()); // but not silently
            assertArrayEquals(TestImages.expected(16, 3, TestImages.W, TestImages.H)[0], src.readRaw(3)[0]);
        }
    }

    @Test
    void fileCutAfterOpeningFailsLoudlyNotWithABlankFrame() throws Exception {
        Path p = TestImages.saveTiff(TestImages.stack("s", 16, 6), dir.resolve("shrinks.tif"));
        byte[] all = Files.readAllBytes(p);
        try (FrameSource src = FrameSources.open(p, 1, TrackingAxis.AUTO)) {
            Files.write(p, java.util.Arrays.copyOf(all, all.length / 2));
            assertNamesPathAndFix(assertThrows(InputException.class, () -> src.readRaw(5)), p,
                    "Cannot read frame 6", "complete and readable");
        }
    }

    @Test
    void unknownChannelOfAStackFile() throws Exception {
        Path p = TestImages.saveTiff(TestImages.stack("s", 8, 3), dir.resolve("plain.tif"));
        assertNamesPathAndFix(assertThrows(InputException.class, () -> FrameSources.open(p, 2, TrackingAxis.AUTO)), p,
                "has 1 channel", "channel 2 does not exist", "Choose a channel from 1 to 1");
    }

    @Test
    void messagesAreOneLine() {
        assertEquals("a b c", new InputException("a\nb\r\n  c").getMessage());
    }
}
