package org.prdimp.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.RoiEncoder;
import ij.process.ByteProcessor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.report.GroundTruth;

/**
 * {@code prdimp batch plan / run / merge} with real tracking on generated stacks: boxes from a CSV and from a
 * .roi file, a stack without boxes skipped, a done job skipped on a rerun, a failing job recorded with its reason
 * and run again, the merged table read by header name, one-line errors, --help.
 */
class BatchCommandTest {
    static final int FRAMES = 10;
    @TempDir
    static Path tmp;
    static Path input;
    static Path boxes;
    static GroundTruth truthA;
    static GroundTruth truthB;

    /** A.tif (2 nuclei, boxes in the CSV), B.tif (1 nucleus, B.roi beside it), C.tif (no boxes), D.tif (1 frame). */
    @BeforeAll
    static void stacks() throws Exception {
        input = Files.createDirectories(tmp.resolve("in"));
        Path gen = tmp.resolve("gen");
        CliRunner.synthetic(gen, "--preset", "nuclei", "--frames", String.valueOf(FRAMES), "--size", "96", "96", "--objects", "2",
                "--seed", "11", "--name", "A");
        CliRunner.synthetic(gen, "--preset", "nuclei", "--frames", String.valueOf(FRAMES), "--size", "96", "96", "--objects", "1",
                "--seed", "12", "--name", "B");
        Files.copy(gen.resolve("A.tif"), input.resolve("A.tif"));
        Files.copy(gen.resolve("B.tif"), input.resolve("B.tif"));
        Files.copy(gen.resolve("B.tif"), input.resolve("C.tif"));
        IJ.saveAsTiff(new ImagePlus("d", new ByteProcessor(64, 64)), input.resolve("D.tif").toString());
        truthA = GroundTruth.read(Files.newBufferedReader(gen.resolve("A.csv")));
        truthB = GroundTruth.read(Files.newBufferedReader(gen.resolve("B.csv")));
        Box b = truthB.boxes(truthB.trackIds(), 0).get(0);
        assertTrue(RoiEncoder.save(new Roi(b.x, b.y, b.w, b.h), input.resolve("B.roi").toString()));
        List<String> lines = new ArrayList<>(List.of("stack,note,x,y,w,h"));
        for (Box a : truthA.boxes(truthA.trackIds(), 0)) {
            lines.add("A.tif,nucleus," + a.x + "," + a.y + "," + a.w + "," + a.h);
        }
        lines.add("D,empty frame,20,20,10,10");
        boxes = Files.write(tmp.resolve("boxes.csv"), lines);
    }

    private static CliRunner failing(int code, String expected, String... args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(code, r.code, r.err);
        List<String> errors = r.err.lines().filter(l -> l.startsWith("prdimp: error:")).collect(Collectors.toList());
        assertEquals(1, errors.size(), "exactly one error line: " + r.err);
        assertTrue(errors.get(0).contains(expected), "'" + expected + "' in: " + errors.get(0));
        assertFalse(r.err.contains("\tat ") || r.out.contains("\tat "), "no stack trace");
        return r;
    }

    /** Rows of a CSV as maps by header name. */
    static List<Map<String, String>> table(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertEquals(header.length, f.length, line);
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                m.put(header[i], f[i]);
            }
            rows.add(m);
        }
        return rows;
    }

    private static List<Path> running(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("jobs"))) {
            return s.filter(p -> p.getFileName().toString().contains(".running-")).collect(Collectors.toList());
        }
    }

    @Test
    void planRunResumeFailureAndMerge() throws Exception {
        Path out = tmp.resolve("out");
        String[] plan = {"batch", "plan", input.toString(), "--boxes", boxes.toString(), "--out", out.toString()};
        CliRunner p = CliRunner.run(plan);
        assertEquals(0, p.code, p.err);
        assertTrue(p.out.contains("planned 3 job(s)") && p.out.contains("skipped 1 stack(s)") && p.out.contains("C.tif"), p.out);
        assertTrue(p.out.contains("sbatch --array=0-2%20"), p.out);
        List<String> planLines = Files.readAllLines(out.resolve("plan.tsv"));
        assertEquals(4, planLines.size(), String.join("\n", planLines));
        assertTrue(planLines.get(1).contains("\tA.tif\t2\t") && planLines.get(1).contains("boxes.csv lines 2-3"), planLines.get(1));
        assertTrue(planLines.get(2).contains("\tB.tif\t1\t") && planLines.get(2).contains("\tB.roi\t"), planLines.get(2));
        assertTrue(planLines.get(3).contains("\tD.tif\t1\t20,20,10,10\tboxes.csv line 4\t"), planLines.get(3));
        assertTrue(Files.readString(out.resolve("skipped.tsv")).contains("C.tif\tno boxes"));
        CliRunner again = CliRunner.run(plan);
        assertEquals(0, again.code, again.err);
        assertTrue(again.out.contains("plan unchanged"), again.out);

        CliRunner a = CliRunner.run("batch", "run", out.toString(), "--index", "0");
        assertEquals(0, a.code, a.err);
        assertTrue(a.out.contains("job 0 (A.tif): done, 2 target(s), " + FRAMES + " frame(s)"), a.out);
        Path resultA = out.resolve("jobs/00000.csv");
        assertEquals(2 * FRAMES, table(resultA).size());
        assertTrue(Files.readString(out.resolve("jobs/00000.info")).contains("frames=" + FRAMES));
        Files.setLastModifiedTime(resultA, FileTime.fromMillis(1_000_000_000_000L));
        CliRunner skip = CliRunner.run("batch", "run", out.toString(), "--index", "0");
        assertEquals(0, skip.code, skip.err);
        assertTrue(skip.out.contains("job 0 (A.tif): already done (jobs/00000.csv); skipped"), skip.out);
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(resultA).toMillis(), "a done job is not run again");

        CliRunner d = failing(1, "job 2 (D.tif): FAILED:", "batch", "run", out.toString(), "--index", "2");
        List<String> failed = Files.readAllLines(out.resolve("jobs/00002.failed"));
        assertEquals(1, failed.size());
        assertTrue(failed.get(0).contains("single frame"), failed.get(0));
        assertFalse(Files.exists(out.resolve("jobs/00002.csv")));
        assertTrue(running(out).isEmpty(), "no temporary file left: " + running(out));

        CliRunner m1 = CliRunner.run("batch", "merge", out.toString());
        assertEquals(1, m1.code, "not every job is done");
        assertTrue(m1.out.contains("done 1, failed 1, unfinished 0, not run 1"), m1.out);
        assertTrue(m1.out.contains("job 2 (D.tif): FAILED: ") && m1.out.contains("single frame"), m1.out);

        CliRunner all = CliRunner.run("batch", "run", out.toString(), "--all");
        assertEquals(1, all.code, all.err);
        assertTrue(all.out.contains("job 0 (A.tif): already done") && all.out.contains("job 1 (B.tif): done, 1 target(s)"), all.out);
        assertTrue(all.err.contains("job 2 (D.tif): FAILED"), all.err);

        // the cause fixed: the failed job runs again, its record goes
        Files.copy(input.resolve("B.tif"), input.resolve("D.tif"), StandardCopyOption.REPLACE_EXISTING);
        CliRunner fixed = CliRunner.run("batch", "run", out.toString(), "--index", "2");
        assertEquals(0, fixed.code, fixed.err);
        assertFalse(Files.exists(out.resolve("jobs/00002.failed")));

        CliRunner m2 = CliRunner.run("batch", "merge", out.toString());
        assertEquals(0, m2.code, m2.out + m2.err);
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("done 3, failed 0, unfinished 0, not run 0"), summary);
        assertTrue(summary.contains("1 stack(s) skipped at planning"), summary);
        assertTrue(summary.contains("frames/s") && summary.contains("stacks/hour per core"), summary);
        List<Map<String, String>> merged = table(out.resolve("merged.csv"));
        assertEquals(4 * FRAMES, merged.size());
        assertEquals("stack", Files.readAllLines(out.resolve("merged.csv")).get(0).split(",")[0]);
        for (Map<String, String> row : merged) {
            int frame = Integer.parseInt(row.get("frame"));
            int target = Integer.parseInt(row.get("target"));
            GroundTruth t = row.get("stack").equals("A.tif") ? truthA : row.get("stack").equals("B.tif") ? truthB : null;
            if (t == null) {
                assertEquals("D.tif", row.get("stack"));
                continue;
            }
            Box truth = t.boxes(t.trackIds(), frame).get(target);
            assertFalse(row.get("x").isEmpty(), "found: " + row);
            double cx = Double.parseDouble(row.get("x")) + Double.parseDouble(row.get("w")) / 2;
            double cy = Double.parseDouble(row.get("y")) + Double.parseDouble(row.get("h")) / 2;
            assertTrue(Math.hypot(cx - truth.cx(), cy - truth.cy()) < 5, "near the truth: " + row + " vs " + truth);
        }
    }

    @Test
    void trackerParametersReplacedAtPlanningHoldForEveryJobAndAResumedRun() throws Exception {
        Path out = tmp.resolve("out-set");
        String[] plan = {"batch", "plan", input.toString(), "--boxes", boxes.toString(), "--out", out.toString(), "--set",
            "box_refinement_size_rate=0"};
        CliRunner p = CliRunner.run(plan);
        assertEquals(0, p.code, p.err);
        assertTrue(p.out.contains("every job tracks with these tracker parameters replaced: box_refinement_size_rate=0"), p.out);
        List<String> planLines = Files.readAllLines(out.resolve("plan.tsv"));
        assertTrue(planLines.get(0).endsWith("\tresult\ttracker_parameters"), planLines.get(0));
        assertTrue(planLines.get(1).endsWith("\tbox_refinement_size_rate=0"), planLines.get(1));
        assertTrue(CliRunner.run(plan).out.contains("plan unchanged"));
        failing(2, "already holds a different plan", "batch", "plan", input.toString(), "--boxes", boxes.toString(), "--out",
                out.toString());
        failing(2, "--set: the tracker parameter box_refinement_size_rate must be a number, not 'abc'", "batch", "plan",
                input.toString(), "--boxes", boxes.toString(), "--out", tmp.resolve("out-bad").toString(), "--set",
                "box_refinement_size_rate=abc");
        assertFalse(Files.exists(tmp.resolve("out-bad")), "nothing planned");

        CliRunner a = CliRunner.run("batch", "run", out.toString(), "--index", "0"); // a later process: the plan's parameters
        assertEquals(0, a.code, a.err);
        assertTrue(a.out.contains("; tracker parameters replaced: box_refinement_size_rate=0"), a.out);
        List<Box> given = truthA.boxes(truthA.trackIds(), 0);
        List<Map<String, String>> rows = table(out.resolve("jobs/00000.csv"));
        assertEquals(2 * FRAMES, rows.size());
        for (Map<String, String> row : rows) {
            Box g = given.get(Integer.parseInt(row.get("target")));
            assertEquals(String.format(java.util.Locale.ROOT, "%.2f,%.2f", g.w, g.h), row.get("w") + "," + row.get("h"),
                    "the given size kept: " + row);
        }
        CliRunner m = CliRunner.run("batch", "merge", out.toString());
        assertTrue(Files.readString(out.resolve("summary.txt")).contains("tracker parameters replaced: box_refinement_size_rate=0"),
                m.out);
    }

    @Test
    void mergeMatchesColumnsByHeaderName() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("names"));
        for (String s : new String[] {"X.tif", "Y.tif", "Z.tif"}) {
            Files.write(in.resolve(s), new byte[0]); // planning lists stacks without opening them
        }
        Path csv = Files.write(tmp.resolve("names.csv"), List.of("stack,x,y,w,h", "X,1,2,3,4", "Y,1,2,3,4", "Z,1,2,3,4"));
        Path out = tmp.resolve("names-out");
        assertEquals(0, CliRunner.run("batch", "plan", in.toString(), "--boxes", csv.toString(), "--out", out.toString()).code);
        Files.write(out.resolve("jobs/00000.csv"), List.of("target,frame,x,y,w,h,confidence,sigma_x,sigma_y,state",
                "0,0,1.00,2.00,3.00,4.00,0.2000,1.00,1.00,normal", "0,1,,,,,0.0100,,,not_found"));
        // another version's columns: reordered, two more
        Files.write(out.resolve("jobs/00001.csv"), List.of("frame,target,state,peak,peak_state,x,y,w,h,confidence,sigma_x,sigma_y",
                "0,0,tracked,0.21,normal,5.00,6.00,7.00,8.00,0.2100,2.00,2.00"));
        Files.write(out.resolve("jobs/00002.running-node7-123-1.csv"), List.of("target,frame"));
        CliRunner m = CliRunner.run("batch", "merge", out.toString());
        assertEquals(1, m.code, "job 2 unfinished");
        assertTrue(m.out.contains("done 2, failed 0, unfinished 1, not run 0"), m.out);
        assertTrue(m.out.contains("job 2 (Z.tif): unfinished"), m.out);
        List<String> lines = Files.readAllLines(out.resolve("merged.csv"));
        assertEquals("stack,target,frame,x,y,w,h,confidence,sigma_x,sigma_y,state,peak,peak_state", lines.get(0));
        assertEquals("X.tif,0,0,1.00,2.00,3.00,4.00,0.2000,1.00,1.00,normal,,", lines.get(1));
        assertEquals("X.tif,0,1,,,,,0.0100,,,not_found,,", lines.get(2));
        assertEquals("Y.tif,0,0,5.00,6.00,7.00,8.00,0.2100,2.00,2.00,tracked,0.21,normal", lines.get(3));
        assertEquals(4, lines.size());
    }

    @Test
    void planTakesTheBoxesOfAnRoiManagerZip() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("zip"));
        Files.write(in.resolve("W.tif"), new byte[0]); // planning lists stacks without opening them
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(in.resolve("W.zip")))) {
            int i = 0;
            for (Roi roi : new Roi[] {new Roi(10, 12, 20, 22), new ij.gui.OvalRoi(40.5, 30, 16, 18)}) {
                zip.putNextEntry(new java.util.zip.ZipEntry("000" + i++ + ".roi"));
                new RoiEncoder(zip).write(roi);
                zip.closeEntry();
            }
        }
        Path out = tmp.resolve("zip-out");
        CliRunner r = CliRunner.run("batch", "plan", in.toString(), "--out", out.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("from .roi/.zip files: 1"), r.out);
        String job = Files.readAllLines(out.resolve("plan.tsv")).get(1);
        assertTrue(job.contains("\tW.tif\t2\t10,12,20,22;40.5,30,16,18\tW.zip\t"), job);
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path out = tmp.resolve("bad-out");
        failing(2, "stack 'E.tif' is not a TIFF stack of the input folder", "batch", "plan", input.toString(), "--boxes",
                Files.write(tmp.resolve("unknown.csv"), List.of("stack,x,y,w,h", "E.tif,1,1,5,5")).toString(), "--out",
                out.toString());
        failing(2, "has no column 'h'", "batch", "plan", input.toString(), "--boxes",
                Files.write(tmp.resolve("noh.csv"), List.of("stack,x,y,w,height", "A.tif,1,1,5,5")).toString(), "--out",
                out.toString());
        failing(2, "line 2: box '1,1,five,5'", "batch", "plan", input.toString(), "--boxes",
                Files.write(tmp.resolve("nan.csv"), List.of("stack,x,y,w,h", "A.tif,1,1,five,5")).toString(), "--out",
                out.toString());
        failing(2, "needs --out", "batch", "plan", input.toString(), "--boxes", boxes.toString());
        failing(2, "does not exist or is not a folder", "batch", "plan", tmp.resolve("none").toString(), "--out", out.toString());
        failing(2, "holds no plan.tsv", "batch", "run", tmp.resolve("none").toString(), "--index", "0");
        failing(2, "unknown batch subcommand 'go'", "batch", "go");
        assertEquals(0, CliRunner.run("batch", "plan", input.toString(), "--boxes", boxes.toString(), "--out", out.toString()).code);
        failing(2, "job index 7 is not in the plan (jobs 0 to 2)", "batch", "run", out.toString(), "--index", "7");
        failing(2, "already holds a different plan", "batch", "plan", input.toString(), "--out", out.toString());
    }

    @Test
    void everySubcommandAnswersHelp() {
        for (String[] args : new String[][] {{"batch", "--help"}, {"batch", "plan", "--help"}, {"batch", "run", "-h"},
            {"batch", "merge", "x", "--help"}}) {
            CliRunner r = CliRunner.run(args);
            assertEquals(0, r.code);
            assertTrue(r.out.startsWith("usage: prdimp batch") && r.out.contains("example: prdimp batch"), r.out);
        }
        assertTrue(CliRunner.run("batch", "run", "--help").out.contains("SLURM_CPUS_PER_TASK"));
        assertTrue(CliRunner.run("batch", "plan", "-h").out.contains("columns stack (file name"));
    }

    @Test
    void threadsComeFromTheOptionOrSlurm() throws Exception {
        String before = System.getProperty(BatchCommand.THREADS_PROPERTY);
        try {
            System.clearProperty(BatchCommand.THREADS_PROPERTY);
            assertNull(BatchCommand.threads(null, Map.of()));
            assertNull(System.getProperty(BatchCommand.THREADS_PROPERTY), "nothing set: every core (the engine's default)");
            assertEquals("3 (from SLURM_CPUS_PER_TASK)", BatchCommand.threads(null, Map.of("SLURM_CPUS_PER_TASK", "3")));
            assertEquals("3", System.getProperty(BatchCommand.THREADS_PROPERTY));
            assertEquals("2 (from --threads)", BatchCommand.threads("2", Map.of("SLURM_CPUS_PER_TASK", "3")));
            assertEquals("2", System.getProperty(BatchCommand.THREADS_PROPERTY));
            assertNull(BatchCommand.threads(null, Map.of("SLURM_CPUS_PER_TASK", "4")), "a property already set stays");
            assertEquals("2", System.getProperty(BatchCommand.THREADS_PROPERTY));
            UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                    () -> BatchCommand.threads("0", Map.of()));
            assertTrue(e.getMessage().contains("--threads must be a whole number of threads, 1 or more"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(BatchCommand.THREADS_PROPERTY);
            } else {
                System.setProperty(BatchCommand.THREADS_PROPERTY, before);
            }
        }
    }
}
