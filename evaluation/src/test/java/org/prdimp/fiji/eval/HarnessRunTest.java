package org.prdimp.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

        // the generated time-lapse is reused, not written again
        Path tif = cache.resolve("nuclei-seed3-frames25/sequence.tif");
        FileTime written = Files.getLastModifiedTime(tif);
        List<Sequence> again = new ProceduralSequences("nuclei", 1, 3, 25).read(Cli.models(), cache);
        assertEquals(6, again.size());
        assertEquals(written, Files.getLastModifiedTime(tif));
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
