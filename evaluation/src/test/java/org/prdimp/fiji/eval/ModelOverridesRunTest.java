package org.prdimp.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real, short {@code prdimp eval} run of the same model folder twice, as it is and with a tracker parameter
 * replaced on the command line ({@code DIR@box_refinement=true}): two rows with their names, the report says
 * what was replaced, and the replaced parameter took effect (the box regressor ran in one row only).
 */
class ModelOverridesRunTest {
    private static final int SIZE = 96;
    private static final int FRAMES = 12;

    @TempDir
    Path tmp;

    @Test
    void aModelWithAndWithoutAnOverrideGivesTwoRows() throws Exception {
        Path seq = blob(tmp.resolve("blob"));
        Path out = tmp.resolve("report");
        String model = Cli.models().resolve("compact-init").toString();
        Cli r = Cli.run("--sequences", seq.toString(), "--model", model, model + "@box_refinement=true", "--peers", "none",
                "--out", out.toString());
        assertEquals(0, r.code, r.err);
        List<String> lines = List.of(r.out.trim().split("\n"));
        assertEquals(3, lines.size(), r.out);
        String plain = "prdimp:compact-init";
        String refined = "prdimp:compact-init@box_refinement=true";
        assertTrue(lines.get(0).startsWith(plain + " ") && lines.get(0).contains("1 sequences, 11 frames: AUC"), r.out);
        assertTrue(lines.get(1).startsWith(refined + " ") && lines.get(1).contains("1 sequences, 11 frames: AUC"), r.out);

        String report = Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8);
        assertTrue(report.contains("compact-init@box_refinement=true --peers none"), "the command line in the report");
        assertTrue(report.contains("| " + plain + " | PrDiMP, model "), report);
        assertTrue(report.contains("| " + refined + " | PrDiMP, model "), report);
        assertTrue(report.contains("), tracker parameters replaced: box_refinement=true, DJL "), report);
        assertEquals(1, report.split("tracker parameters replaced", -1).length - 1, "only the overridden row says so");

        List<String> scores = Files.readAllLines(out.resolve("scores.csv"), StandardCharsets.UTF_8);
        assertEquals(3, scores.size(), scores.toString());
        assertTrue(scores.get(1).startsWith(plain + ",blob,blob,0,11,11,"), scores.get(1));
        assertTrue(scores.get(2).startsWith(refined + ",blob,blob,0,11,11,"), scores.get(2));

        // compact-init ships with box refinement off: only the overridden row calls the box regressor
        Map<String, Long> refineCalls = new HashMap<>();
        for (String row : Files.readAllLines(out.resolve("timing.csv"), StandardCharsets.UTF_8)) {
            String[] f = row.split(",", -1);
            if (f[3].equals("network:refine_boxes")) {
                refineCalls.put(f[0], Long.parseLong(f[5]));
            }
        }
        assertEquals(0L, refineCalls.get(plain), refineCalls.toString());
        assertTrue(refineCalls.get(refined) >= FRAMES - 1 - TrackRecord.WARMUP_FRAMES, refineCalls.toString());
    }

    @Test
    void aBadOverrideOrFolderIsOneLineBeforeAnythingRuns() {
        Cli r = Cli.run("--procedural", "1", "--model", Cli.models().resolve("compact-init") + "@search_area_scale=wide",
                "--out", tmp.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("prdimp: error: --model ") && r.err.trim().endsWith("compact-init@search_area_scale=wide:"
                + " the tracker parameter search_area_scale must be a number, not 'wide'"), r.err);
        assertEquals(1, r.err.trim().split("\n").length, r.err);
        r = Cli.run("--procedural", "1", "--cache", tmp.resolve("cache").toString(), "--model",
                tmp.resolve("absent") + "@box_refinement=false", "--out", tmp.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("prdimp: error: model folder " + tmp.resolve("absent") + " does not exist"), r.err);
        assertEquals(1, r.err.trim().split("\n").length, r.err);
        assertTrue(!Files.exists(tmp.resolve("cache")), "the folder is checked before the time-lapse is generated");
    }

    /**
     * An OTB-style folder: a bright Gaussian spot moving 2 px right and 1 px down per frame over faint noise,
     * 8-bit PNG frames, its box in {@code groundtruth_rect.txt}.
     */
    private static Path blob(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("img"));
        Random noise = new Random(7);
        StringBuilder truth = new StringBuilder();
        for (int i = 0; i < FRAMES; i++) {
            double cx = 30 + 2 * i;
            double cy = 40 + i;
            BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                    double v = 20 + 200 * Math.exp(-d2 / (2 * 4.0 * 4.0)) + 10 * noise.nextDouble();
                    img.getRaster().setSample(x, y, 0, (int) Math.min(255, v));
                }
            }
            ImageIO.write(img, "png", dir.resolve(String.format("img/%04d.png", i + 1)).toFile());
            truth.append(String.format(java.util.Locale.ROOT, "%.0f,%.0f,16,16%n", cx - 8, cy - 8));
        }
        Files.writeString(dir.resolve("groundtruth_rect.txt"), truth.toString());
        return dir;
    }
}
