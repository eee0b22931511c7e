package org.prdimp.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real, short harness run: a procedural time-lapse from the project's generator (6 nuclei, 25 frames),
 * our tracker with the bundled compact model, OpenCV CSRT, BoofCV's circulant tracker and the static baseline.
 */
class HarnessRunTest {
    @TempDir
    Path tmp;

    @Test
    void proceduralRunWritesReportPlotsScoresAndSummaries() throws Exception {
        Path out = tmp.resolve("report");
        Path cache = tmp.resolve("cache");
        Cli r = Cli.run("--procedural", "1", "--seed", "3", "--frames", "25", "--cache", cache.toString(), "--model",
                Cli.models().resolve("compact-init").toString(), "--peers", "csrt,boof-circulant,static", "--out", out.toString());
        assertEquals(0, r.code, r.err);
        List<String> lines = List.of(r.out.trim().split("\n"));
        assertEquals(5, lines.size(), r.out); // one summary line per tracker, then the report's path
        String[] trackers = {"prdimp:compact-init", "csrt", "boof-circulant", "static"};
        for (int i = 0; i < trackers.length; i++) {
            assertTrue(lines.get(i).startsWith(trackers[i] + " ") && lines.get(i).contains("6 sequences, 144 frames: AUC"),
                    lines.get(i));
        }
        String report = Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8);
        for (String part : new String[] {"./prdimp eval --procedural 1 --seed 3", "## Means per group", "## Speed",
            "## Per sequence", "procedural-nuclei/nuclei-seed3-frames25/track6", "(success-procedural-nuclei.png)",
            "## Confidence, states and sigma (our tracker)", "| procedural-nuclei | prdimp:compact-init | 144 |",
            "(reliability-procedural-nuclei.png)"}) {
            assertTrue(report.contains(part), part);
        }
        // procedural sequences have no second, fuller ground truth: no extent section, no "vs segmentation" rows
        assertFalse(report.contains("## Against the object's whole extent"), "extent section without a segmentation");
        for (String plot : new String[] {"success-procedural-nuclei.png", "precision-procedural-nuclei.png",
            "reliability-procedural-nuclei.png"}) {
            BufferedImage img = ImageIO.read(out.resolve(plot).toFile());
            assertEquals(720, img.getWidth());
        }
        Map<String, Double> auc = new HashMap<>();
        List<String> rows = Files.readAllLines(out.resolve("scores.csv"), StandardCharsets.UTF_8);
        assertEquals(1 + 4 * 6, rows.size());
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            double a = Double.parseDouble(f[7]);
            assertTrue(a >= 0 && a <= 1, row);
            assertEquals(24, Integer.parseInt(f[5]), row); // frame 0 excluded
            auc.merge(f[0], a / 6, Double::sum);
        }
        // nuclei move 1-6 px per frame: keeping the first box falls behind, tracking does not
        assertTrue(auc.get("csrt") > auc.get("static") + 0.1, auc.toString());
        assertTrue(auc.get("prdimp:compact-init") > auc.get("static") + 0.1, auc.toString());

        assertTimeTable(report, lines.get(0));
        assertTimingCsv(Files.readAllLines(out.resolve("timing.csv"), StandardCharsets.UTF_8));

        // the generated time-lapse is reused, not written again
        Path tif = cache.resolve("nuclei-seed3-frames25/sequence.tif");
        FileTime written = Files.getLastModifiedTime(tif);
        List<Sequence> again = new ProceduralSequences("nuclei", 1, 3, 25).read(Cli.models(), cache);
        assertEquals(6, again.size());
        assertEquals(written, Files.getLastModifiedTime(tif));
    }

    /**
     * "Where the time goes": one column for the model on the group; the network rows (the optimiser's updates and
     * the box refinement among them) and the rest add up to the step time, whose inverse is the frames/s figure.
     */
    private static void assertTimeTable(String report, String summary) {
        int at = report.indexOf("### Where the time goes");
        assertTrue(at > report.indexOf("## Speed") && at < report.indexOf("## Per sequence"), "table in the Speed section");
        List<String> table = new ArrayList<>();
        boolean in = false;
        for (String line : report.substring(at).split("\n")) {
            if (line.startsWith("|")) {
                in = true;
                table.add(line);
            } else if (in) {
                break;
            }
        }
        assertEquals("| component | prdimp:compact-init, procedural-nuclei |", table.get(0));
        Map<String, Double> ms = new LinkedHashMap<>();
        Map<String, Double> calls = new HashMap<>();
        Pattern cell = Pattern.compile("\\| (.+) \\| (-?[0-9.]+) \\((-?[0-9.]+) %(?:; ([0-9.]+) calls)?\\) \\|");
        for (String row : table.subList(2, table.size())) {
            Matcher m = cell.matcher(row);
            assertTrue(m.matches(), row);
            ms.put(m.group(1), Double.parseDouble(m.group(2)));
            assertEquals(m.group(1).startsWith("network: "), m.group(4) != null, row); // calls per frame: the network's
            if (m.group(4) != null) {
                calls.put(m.group(1), Double.parseDouble(m.group(4)));
            }
        }
        for (String method : new String[] {"extract", "classify", "optimize_filter", "refine_boxes"}) {
            assertTrue(ms.containsKey(TimingReport.methodRow(method)), method + " row in " + ms.keySet());
        }
        double sum = 0;
        int parts = 0;
        for (Map.Entry<String, Double> e : ms.entrySet()) {
            if (e.getKey().startsWith("network: ")) {
                assertTrue(e.getValue() >= 0, e.toString());
                sum += e.getValue();
                parts++;
            }
        }
        assertTrue(ms.get(TimingReport.methodRow("extract")) > 0, ms.toString()); // every tracked frame is extracted
        assertTrue(calls.get(TimingReport.methodRow("extract")) >= 1, calls.toString());
        assertTrue(ms.get(TimingReport.OUTSIDE) > 0, ms.toString()); // normalising the frame at least
        sum += ms.get(TimingReport.OUTSIDE);
        double step = ms.get(TimingReport.STEP);
        assertEquals(step, sum, 0.005 * (parts + 2), ms.toString());
        assertTrue(ms.get(TimingReport.DECODE) > 0, ms.toString());
        assertTrue(table.get(table.size() - 2).endsWith(" (100.0 %) |"), table.toString());
        Matcher fps = Pattern.compile(" ([0-9.]+) fps").matcher(summary);
        assertTrue(fps.find(), summary);
        assertEquals(1000 / Double.parseDouble(fps.group(1)), step, 0.01 * step, summary + " vs " + ms);
        assertTrue(report.contains("The peers decode and normalise each frame once for all of them"), report);
    }

    /** timing.csv: the same breakdown, for the peers their step and shared decoding and normalising. */
    private static void assertTimingCsv(List<String> rows) {
        assertEquals("tracker,group,timed_frames,component,in_step,calls,ms_per_frame,share_of_step", rows.get(0));
        Map<String, Double> inStep = new HashMap<>();
        Map<String, Double> step = new HashMap<>();
        Map<String, Integer> decode = new HashMap<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            assertEquals("procedural-nuclei", f[1], row);
            assertEquals(6 * (24 - TrackRecord.WARMUP_FRAMES), Integer.parseInt(f[2]), row); // 6 tracks, 19 timed frames each
            double ms = Double.parseDouble(f[6]);
            assertTrue(ms >= 0, row);
            if (f[3].equals("step")) {
                step.put(f[0], ms);
            } else if (f[4].equals("true")) {
                inStep.merge(f[0], ms, Double::sum);
            } else if (f[3].equals("decode")) {
                assertTrue(ms > 0, row);
                decode.merge(f[0], 1, Integer::sum);
            }
            if (f[3].equals("network:extract")) {
                assertTrue(Long.parseLong(f[5]) >= 6 * 19, row); // at least one call per timed frame
            }
        }
        assertEquals(Set.of("prdimp:compact-init", "csrt", "boof-circulant"), step.keySet()); // static: no speed
        assertEquals(step.keySet(), decode.keySet());
        assertEquals(Set.of("prdimp:compact-init"), inStep.keySet());
        assertEquals(step.get("prdimp:compact-init"), inStep.get("prdimp:compact-init"), 1e-3);
    }

    @Test
    void badUseGivesOneLineAndExitCode2() throws Exception {
        Cli r = Cli.run("--procedural", "1", "--peers", "csrt,nope", "--out", tmp.toString());
        assertEquals(2, r.code);
        assertEquals("prdimp: error: unknown peer 'nope'; known: csrt,kcf,nanotrack,boof-circulant,boof-tld,boof-sparseflow,"
                + "boof-meanshift,static (or none)", r.err.trim());
        r = Cli.run("--sequences", tmp.resolve("absent").toString(), "--out", tmp.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.trim().matches("prdimp: error: .*absent is not a folder; give a sequence folder.*"), r.err);
        r = Cli.run("--procedural", "1");
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("prdimp: error: eval needs --out FOLDER"), r.err);
        assertEquals(1, r.err.trim().split("\n").length);
    }
}
