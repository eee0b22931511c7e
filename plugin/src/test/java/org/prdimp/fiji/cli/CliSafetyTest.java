package org.prdimp.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.prdimp.fiji.engine.TestPaths;
import org.prdimp.fiji.run.ResultsCsv;

/**
 * The user's data is never lost or corrupted: results go through a temporary file, an output that
 * is an input is refused, a broken model or a full disk leaves earlier results intact; and every
 * bad option gets one line.
 */
class CliSafetyTest {
    @TempDir
    static Path tmp;
    static Path folder;
    static Path stack;
    static Path blanks;

    private static ByteProcessor square(int x) {
        ByteProcessor ip = new ByteProcessor(96, 96);
        ip.setValue(20);
        ip.fill();
        ip.setValue(220);
        ip.fillRect(x, 40, 12, 12);
        return ip;
    }

    @BeforeAll
    static void data() throws IOException {
        folder = Files.createDirectories(tmp.resolve("frames"));
        for (int f = 0; f < 8; f++) {
            new FileSaver(new ImagePlus("f", square(20 + 3 * f))).saveAsTiff(folder.resolve(String.format("f%02d.tif", f)).toString());
        }
        ImageStack s = new ImageStack(96, 96);
        for (int f = 0; f < 60; f++) {
            s.addSlice(square(20 + f));
        }
        stack = tmp.resolve("cells.tif");
        new FileSaver(new ImagePlus("cells", s)).saveAsTiffStack(stack.toString());
        ImageStack b = new ImageStack(96, 96);
        for (int f = 0; f < 8; f++) {
            FloatProcessor fp = square(20 + 3 * f).convertToFloatProcessor();
            if (f == 3) {
                fp.set(0); // a blank frame
            }
            b.addSlice(fp);
        }
        blanks = tmp.resolve("blanks.tif");
        new FileSaver(new ImagePlus("blanks", b)).saveAsTiffStack(blanks.toString());
    }

    private static String oneError(CliRunner r) {
        List<String> lines = r.err.lines().filter(l -> l.startsWith("prdimp: error:")).collect(Collectors.toList());
        assertEquals(1, lines.size(), "exactly one error line: " + r.err);
        assertFalse(r.err.contains("\tat ") || r.out.contains("\tat "), "no stack trace");
        return lines.get(0);
    }

    private static String oneError(ChildCli r) {
        List<String> lines = r.err.lines().filter(l -> l.startsWith("prdimp: error:")).collect(Collectors.toList());
        assertEquals(1, lines.size(), "exactly one error line: " + r.err);
        assertFalse(r.err.contains("\tat ") || r.out.contains("\tat "), "no stack trace: " + r.err);
        return lines.get(0);
    }

    // ---- --out naming an input ----

    @Test
    void outputThatIsTheInputStackIsRefusedBeforeWriting() throws Exception {
        byte[] before = Files.readAllBytes(stack);
        Path link = tmp.resolve("link-to-cells.csv");
        Files.createSymbolicLink(link, stack);
        Path relative = Paths.get("").toAbsolutePath().relativize(stack.getParent()).resolve("../" + stack.getParent().getFileName()
                + "/cells.tif");
        for (String out : new String[] {stack.toString(), link.toString(), relative.toString()}) {
            CliRunner r = CliRunner.run("track", "--input", stack.toString(), "--box", "20,40,12,12", "--out", out);
            assertEquals(2, r.code);
            assertTrue(oneError(r).contains("is the input file"), r.err);
            assertArrayEquals(before, Files.readAllBytes(stack), "the stack is untouched (--out " + out + ")");
        }
        assertEquals(List.of(), Files.list(tmp).filter(p -> p.toString().endsWith(".tmp")).collect(Collectors.toList()));
    }

    @Test
    void outputThatIsAFrameOfTheInputFolderIsRefused() throws Exception {
        Path frame = folder.resolve("f05.tif");
        byte[] before = Files.readAllBytes(frame);
        CliRunner r = CliRunner.run("track", "--input", folder.toString(), "--box", "20,40,12,12", "--out",
                folder.resolve("../frames/./f05.tif").toString());
        assertEquals(2, r.code);
        assertTrue(oneError(r).contains("f05.tif"), r.err);
        assertArrayEquals(before, Files.readAllBytes(frame));
    }

    // ---- a broken model keeps the earlier results ----

    private static Path modelWith(String name, String find, String replace) throws IOException {
        Path src = TestPaths.models().resolve("compact-init");
        Path dst = Files.createDirectories(tmp.resolve(name));
        Files.copy(src.resolve("tracker.pt"), dst.resolve("tracker.pt"));
        String rdf = Files.readString(src.resolve("rdf.yaml"));
        assertTrue(rdf.contains(find), find);
        Files.writeString(dst.resolve("rdf.yaml"), rdf.replace(find, replace));
        return dst;
    }

    @Test
    void aModelLackingAParameterOrWithAWrongTypeIsOneLineAndOverwritesNothing() throws Exception {
        Path csv = tmp.resolve("earlier.csv");
        String earlier = "target,frame\n0,0\n";
        Files.writeString(csv, earlier);
        String line = Files.readAllLines(TestPaths.models().resolve("compact-init/rdf.yaml")).stream()
                .filter(l -> l.trim().startsWith("learning_rate:")).findFirst().orElseThrow();
        Path missing = modelWith("no-lr", line + "\n", "\n");
        Path wrong = modelWith("text-lr", line, line.substring(0, line.indexOf(':') + 1) + " fast");
        CliRunner r = CliRunner.run("track", "--input", folder.toString(), "--box", "20,40,12,12", "--out", csv.toString(),
                "--model", missing.toString());
        assertEquals(2, r.code);
        assertTrue(oneError(r).contains("config.prdimp.tracker.learning_rate is missing"), r.err);
        r = CliRunner.run("track", "--input", folder.toString(), "--box", "20,40,12,12", "--out", csv.toString(),
                "--model", wrong.toString());
        assertEquals(2, r.code);
        assertTrue(oneError(r).contains("learning_rate must be a number, not 'fast'"), r.err);
        assertEquals(earlier, Files.readString(csv), "the earlier results are untouched");
    }

    // ---- --help and option validation ----

    @Test
    void everySubcommandAnswersHelp() {
        for (String cmd : new String[] {"track", "demo", "doctor", "bench", "macro", "install-fiji"}) {
            for (String flag : new String[] {"--help", "-h"}) {
                CliRunner r = CliRunner.run(cmd, flag);
                assertEquals(0, r.code, cmd + " " + flag + ": " + r.err);
                assertTrue(r.out.startsWith("usage: prdimp " + cmd), r.out);
                assertTrue(r.out.contains("example: prdimp " + cmd), r.out);
                assertTrue(r.out.contains("default"), r.out);
                assertEquals("", r.err);
            }
        }
        CliRunner r = CliRunner.run("track", "--input", "x.tif", "--help");
        assertEquals(0, r.code);
        assertTrue(r.out.contains("--max-frame-pixels"), r.out);
    }

    @Test
    void invalidValuesAndUnknownOptionsNameTheOptionAndTheAcceptedValues() {
        String[][] cases = {
            {"--device tpu", "device 'tpu' is not one of auto, cpu, gpu"},
            {"--axis sideways", "--axis 'sideways' is not one of auto, time, z"},
            {"--channel 0", "--channel must be 1 or more"},
            {"--channel abc", "--channel must be a whole number, not 'abc'"},
            {"--max-frame-pixels -3", "--max-frame-pixels must be a whole number above 0"},
            {"--last-frme 3", "unknown option --last-frme for track; known: --axis, --box, --channel, --device, --frames"},
            {"--frames 9-2", "frames 9-2 do not fit"},
        };
        for (String[] c : cases) {
            String[] extra = c[0].split(" ");
            CliRunner r = CliRunner.run("track", "--input", folder.toString(), "--box", "20,40,12,12", "--out",
                    tmp.resolve("v.csv").toString(), extra[0], extra[1]);
            assertEquals(2, r.code, c[0]);
            assertTrue(oneError(r).contains(c[1]), c[0] + " -> " + r.err);
        }
        CliRunner r = CliRunner.run("demo", "--frames", "1");
        assertEquals(2, r.code);
        assertTrue(oneError(r).contains("unknown option --frames for demo; known: --device, --model, --out"), r.err);
        assertFalse(Files.exists(tmp.resolve("v.csv")));
    }

    @Test
    void framesLargerThanTheLimitAreRefusedBeforeReading() {
        CliRunner r = CliRunner.run("track", "--input", folder.toString(), "--box", "20,40,12,12", "--out",
                tmp.resolve("big.csv").toString(), "--max-frame-pixels", "9000");
        assertEquals(2, r.code);
        assertTrue(oneError(r).contains("frames of 96x96 (0.0 Mpixels) are above --max-frame-pixels 9000"), r.err);
    }

    // ---- frames without signal, absurd boxes ----

    @Test
    void aBlankFrameIsReportedAndTrackingResumes() throws Exception {
        Path csv = tmp.resolve("blanks.csv");
        CliRunner r = CliRunner.run("track", "--input", blanks.toString(), "--box", "20,40,12,12", "--box", "70,70,1,1",
                "--out", csv.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("prdimp: warning: box 2 (70.00,70.00,1.00,1.00) is 1x1 pixels: too small"), r.err);
        assertTrue(r.err.contains("prdimp: warning: 1 frame(s) carry no signal (constant, NaN or mostly non-finite pixels): 3"),
                r.err);
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        for (String row : lines.subList(1, lines.size())) {
            String[] f = row.split(",", -1);
            int frame = Integer.parseInt(f[header.indexOf("frame")]);
            boolean noBox = f[header.indexOf("x")].isEmpty();
            if (frame == 3) {
                assertTrue(noBox, row);
            } else if (f[header.indexOf("target")].equals("0")) {
                assertFalse(noBox, row);
                double cx = Double.parseDouble(f[header.indexOf("x")]) + Double.parseDouble(f[header.indexOf("w")]) / 2;
                assertEquals(26 + 3 * frame, cx, 3, "tracking resumes after the blank frame: " + row);
            }
        }
    }

    // ---- child JVMs: a file-size limit, a kill, a small heap, a damaged cache ----

    @Test
    void aFullDiskKeepsOnlyCompleteRowsAndSaysHowManyFrames() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("full"));
        Path csv = dir.resolve("results.csv");
        Files.writeString(csv, "earlier\n");
        // ulimit -f: writes beyond 2 KiB fail (EFBIG) as on a full disk
        ChildCli r = ChildCli.run("ulimit -f 2", Map.of(), ChildCli.command(List.of(), "track", "--input", stack.toString(),
                "--box", "20,40,12,12", "--out", csv.toString(), "--model", TestPaths.models().resolve("compact-init").toString()));
        assertEquals(1, r.code, r.err);
        String line = oneError(r);
        Path partial = dir.resolve("results.partial.csv");
        List<String> rows = Files.readAllLines(partial);
        int frames = rows.size() - 1;
        assertTrue(frames > 5 && frames < 60, "some frames kept: " + frames);
        assertTrue(line.contains("; " + frames + " frame(s) kept in " + partial), line);
        int fields = rows.get(0).split(",").length;
        for (String row : rows) {
            assertEquals(fields, row.split(",", -1).length, "complete row: " + row);
        }
        assertTrue(Files.readString(partial, StandardCharsets.UTF_8).endsWith("\n"));
        assertEquals("earlier\n", Files.readString(csv));
    }

    @Test
    void aKilledRunKeepsItsFramesUnderThePartialName() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("killed"));
        Path csv = dir.resolve("results.csv");
        Files.writeString(csv, "earlier complete results\n");
        ImageStack s = new ImageStack(96, 96);
        for (int f = 0; f < 150; f++) {
            s.addSlice(square(20 + f / 3));
        }
        Path longer = dir.resolve("longer.tif");
        new FileSaver(new ImagePlus("longer", s)).saveAsTiffStack(longer.toString());
        java.util.regex.Pattern progress = java.util.regex.Pattern.compile("prdimp: frame (\\d+)/149");
        ChildCli r = ChildCli.run(null, Map.of(), ChildCli.command(List.of(), "track", "--input", longer.toString(),
                "--box", "20,40,12,12", "--out", csv.toString(), "--model", TestPaths.models().resolve("compact-init").toString()),
                err -> {
                    java.util.regex.Matcher m = progress.matcher(err);
                    while (m.find()) {
                        if (Integer.parseInt(m.group(1)) >= 14) {
                            return true;
                        }
                    }
                    return false;
                });
        assertTrue(r.code != 0, "killed");
        assertEquals("earlier complete results\n", Files.readString(csv));
        List<String> rows = Files.readAllLines(dir.resolve("results.partial.csv"));
        assertTrue(rows.size() - 1 >= 15 && rows.size() - 1 < 150, rows.size() + " rows");
        assertEquals(List.of(longer, csv, dir.resolve("results.partial.csv")), Files.list(dir).sorted().collect(Collectors.toList()));
    }

    @Test
    void outOfMemoryIsOneLineWithWhatToDo() throws Exception {
        ImageStack s = new ImageStack(3000, 3000);
        s.addSlice(new ByteProcessor(3000, 3000));
        s.addSlice(new ByteProcessor(3000, 3000));
        Path big = tmp.resolve("big.tif");
        new FileSaver(new ImagePlus("big", s)).saveAsTiffStack(big.toString());
        List<String> args = List.of("track", "--input", big.toString(), "--box", "20,40,12,12", "--out",
                tmp.resolve("big.csv").toString());
        ChildCli guarded = ChildCli.run(null, Map.of(), ChildCli.command(List.of("-Xmx40m"), args.toArray(new String[0])));
        assertEquals(2, guarded.code);
        assertTrue(oneError(guarded).contains("do not fit this Java heap"), guarded.err);
        assertTrue(guarded.err.contains("PRDIMP_JAVA_OPTS=-Xmx"), guarded.err);
        List<String> unguarded = new java.util.ArrayList<>(args);
        unguarded.addAll(List.of("--max-frame-pixels", "100000000"));
        ChildCli r = ChildCli.run(null, Map.of(), ChildCli.command(List.of("-Xmx40m"), unguarded.toArray(new String[0])));
        assertEquals(2, r.code, r.err);
        String line = oneError(r);
        assertTrue(line.contains("out of memory") && line.contains("-Xmx") && line.contains("--max-frame-pixels"), line);
        assertFalse(Files.exists(tmp.resolve("big.csv")));
    }

    @Test
    void aDamagedLibtorchCacheIsDetectedBeforeLoadingIt() throws Exception {
        Path cache = tmp.resolve("djl-cache");
        Path real = org.prdimp.fiji.engine.LibtorchCache.folder();
        org.junit.jupiter.api.Assumptions.assumeTrue(real != null, "libtorch does not come from the class path here");
        Path damaged = Files.createDirectories(cache.resolve("pytorch").resolve(real.getFileName()));
        byte[] elf = new byte[4096];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        for (String lib : new String[] {"libc10.so", "libgomp-98b21ff3.so.1", "libtorch.so", "libtorch_cpu.so"}) {
            Files.write(damaged.resolve(lib), elf); // cut off, as after a full disk or a killed copy
        }
        Map<String, String> env = Map.of("DJL_CACHE_DIR", cache.toString());
        for (String[] args : new String[][] {{"track", "--input", folder.toString(), "--box", "20,40,12,12", "--out",
                tmp.resolve("c.csv").toString()}, {"doctor"}}) {
            ChildCli r = ChildCli.run(null, env, ChildCli.command(List.of(), args));
            assertEquals(2, r.code, r.err + r.out);
            String text = args[0].equals("doctor") ? r.out + r.err : oneError(r);
            assertTrue(text.contains("the libtorch cache " + damaged + " is damaged (libc10.so is 4096 bytes"), text);
            assertTrue(text.contains("delete that folder"), text);
            assertFalse(r.err.contains("\tat "), r.err);
        }
    }

    @Test
    void anUnwritableLibtorchCacheSaysSo() throws Exception {
        Path file = tmp.resolve("not-a-folder");
        Files.writeString(file, "x");
        ChildCli r = ChildCli.run(null, Map.of("DJL_CACHE_DIR", file.resolve("cache").toString()), ChildCli.command(List.of(),
                "track", "--input", folder.toString(), "--box", "20,40,12,12", "--out", tmp.resolve("u.csv").toString()));
        assertEquals(2, r.code, r.err);
        String line = oneError(r);
        assertTrue(line.contains("cannot be written (" + file + " is a file, not a folder)") && line.contains("DJL_CACHE_DIR"),
                line);
    }

    @Test
    void resultsMovedIntoPlaceOnSuccessReplaceTheEarlierFile() throws Exception {
        Path csv = tmp.resolve("ok.csv");
        Files.writeString(csv, "earlier\n");
        CliRunner r = CliRunner.run("track", "--input", folder.toString(), "--box", "20,40,12,12", "--out", csv.toString());
        assertEquals(0, r.code, r.err);
        assertEquals(ResultsCsv.HEADER, Files.readAllLines(csv).get(0));
        assertEquals(1 + 8, Files.readAllLines(csv).size());
        assertFalse(Files.exists(ResultsCsv.partialName(csv)));
    }
}
