package org.prdimp.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.prdimp.fiji.engine.TestPaths;

/**
 * Bad input gives one line naming the problem and the fix, a non-zero exit code and no stack
 * trace; a failure in a later frame keeps the results of the frames before it.
 */
class CliErrorsTest {
    @TempDir
    static Path tmp;
    static Path folder;

    /** A folder of 8 TIFF frames with a bright square moving right by 3 px per frame. */
    @BeforeAll
    static void frames() throws IOException {
        folder = Files.createDirectories(tmp.resolve("frames"));
        for (int f = 0; f < 8; f++) {
            ByteProcessor ip = new ByteProcessor(96, 96);
            ip.setValue(20);
            ip.fill();
            ip.setValue(220);
            ip.fillRect(20 + 3 * f, 40, 12, 12);
            new FileSaver(new ImagePlus("f", ip)).saveAsTiff(folder.resolve(String.format("f%02d.tif", f)).toString());
        }
    }

    private static CliRunner failing(int code, String expected, String... args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(code, r.code, r.err);
        List<String> lines = r.err.lines().filter(l -> l.startsWith("prdimp: error:")).collect(Collectors.toList());
        assertEquals(1, lines.size(), "exactly one error line: " + r.err);
        assertTrue(lines.get(0).contains(expected), "'" + expected + "' in: " + lines.get(0));
        assertFalse(r.err.contains("\tat ") || r.out.contains("\tat "), "no stack trace");
        return r;
    }

    private static String[] track(String input, String box, String... more) {
        return Stream.concat(Stream.of("track", "--input", input, "--box", box, "--out", tmp.resolve("r.csv").toString()),
                Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void missingInput() {
        failing(2, "Cannot find", track(tmp.resolve("nothere.tif").toString(), "1,1,5,5"));
    }

    @Test
    void unreadableInput() throws IOException {
        Path bad = tmp.resolve("garbage.tif");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        failing(2, "garbage.tif", track(bad.toString(), "1,1,5,5"));
    }

    @Test
    void zeroSizeBox() {
        failing(2, "zero width or height", track(folder.toString(), "20,40,0,12"));
    }

    @Test
    void boxOutsideTheImage() {
        failing(2, "outside the 96x96 image", track(folder.toString(), "200,40,12,12"));
    }

    @Test
    void malformedBox() {
        failing(2, "x,y,w,h", track(folder.toString(), "20,40,12"));
    }

    @Test
    void singleFrameInput() {
        failing(2, "single frame", track(folder.resolve("f00.tif").toString(), "20,40,12,12"));
    }

    @Test
    void framesOutsideTheSequence() {
        failing(2, "do not fit the 8 frames", track(folder.toString(), "20,40,12,12", "--frames", "3-20"));
    }

    @Test
    void missingModelFolder() {
        failing(2, "does not exist", track(folder.toString(), "20,40,12,12", "--model", tmp.resolve("no-model").toString()));
    }

    @Test
    void corruptModel() throws IOException {
        Path model = copyModel("corrupt");
        try (RandomAccessFile f = new RandomAccessFile(model.resolve("tracker.pt").toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write(new byte[] {1, 2, 3, 4});
        }
        failing(2, "does not match the sha256", track(folder.toString(), "20,40,12,12", "--model", model.toString()));
    }

    @Test
    void descriptorNamingAMissingFile() throws IOException {
        Path model = copyModel("renamed");
        Files.move(model.resolve("tracker.pt"), model.resolve("other.pt"));
        failing(2, "is missing", track(folder.toString(), "20,40,12,12", "--model", model.toString()));
    }

    @Test
    void gpuAskedButNotUsable() {
        // this test machine, like CI, has the CPU build of libtorch
        failing(2, "GPU asked for but not usable", track(folder.toString(), "20,40,12,12", "--device", "gpu"));
    }

    @Test
    void unknownOptionAndCommand() {
        failing(2, "unknown option --speed", "track", "--speed", "3");
        failing(2, "unknown command 'trak'", "trak");
    }

    @Test
    void truncatedFrameInAFolder() throws IOException {
        Path seq = Files.createDirectories(tmp.resolve("broken"));
        for (Path p : Files.list(folder).sorted().collect(Collectors.toList())) {
            Files.copy(p, seq.resolve(p.getFileName()));
        }
        Path victim = seq.resolve("f05.tif");
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            f.setLength(Files.size(victim) - 96 * 96 / 2);
        }
        failing(2, "f05.tif: the file is truncated", track(seq.toString(), "20,40,12,12"));
    }

    private static Path copyModel(String name) throws IOException {
        Path src = TestPaths.models().resolve("compact-init");
        Path dst = Files.createDirectories(tmp.resolve(name));
        for (String f : new String[] {"rdf.yaml", "tracker.pt", "README.md"}) {
            Files.copy(src.resolve(f), dst.resolve(f));
        }
        return dst;
    }
}
