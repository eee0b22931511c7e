package org.prdimp.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TestPaths;

/**
 * {@code prdimp track --set key=value} replaces a tracker parameter of the model for one run: the default model
 * with its size rate at 0 keeps the given box size on the bundled sample, while the same model as written adapts
 * it; the output names what was replaced; a wrong key or value is one line and exit code 2.
 */
class TrackerOverridesCliTest {
    private static final Path SAMPLE = Paths.get("src/main/resources/org/prdimp/fiji/sample/synthetic-nuclei");
    private static final String FRAMES = "0-7";
    private static final String REPLACED = "tracker parameters replaced: box_refinement_size_rate=0";

    @TempDir
    Path tmp;

    @Test
    void sizeRateZeroKeepsTheGivenSizeAndTheOutputSaysSo() throws Exception {
        List<String> boxes = firstBoxes(2);

        CliRunner plain = CliRunner.run(track(boxes, tmp.resolve("plain.csv")));
        assertEquals(0, plain.code, plain.err);
        assertFalse(plain.out.contains("tracker parameters replaced"), plain.out);
        List<TargetResult> adapted = CliRunner.readCsv(tmp.resolve("plain.csv"));

        CliRunner fixed = CliRunner.run(track(boxes, tmp.resolve("fixed.csv"), "--set", "box_refinement_size_rate=0"));
        assertEquals(0, fixed.code, fixed.err);
        List<String> engine = fixed.out.lines().filter(l -> l.startsWith("engine: model")).collect(Collectors.toList());
        assertEquals(1, engine.size(), fixed.out);
        assertTrue(engine.get(0).endsWith(REPLACED), engine.get(0));
        List<TargetResult> kept = CliRunner.readCsv(tmp.resolve("fixed.csv"));

        assertEquals(2 * 8, kept.size(), "2 targets through 8 frames");
        assertEquals(0, sizesChanged(kept, boxes), "the size rate 0 keeps every box's given w,h");
        int changed = sizesChanged(adapted, boxes);
        System.out.println("plain run: " + changed + " of " + adapted.size() + " boxes changed their size");
        assertTrue(changed > 0, "the default's size rate 0.5 on grey images changes some size");
    }

    @Test
    void anUnknownKeyIsOneLine() throws Exception {
        CliRunner r = failing(track(firstBoxes(1), tmp.resolve("r.csv"), "--set", "no_such_key=1"));
        assertTrue(r.err.contains("--set: unknown tracker parameter 'no_such_key'; known: search_area_scale"), r.err);
    }

    @Test
    void aValueOfTheWrongKindIsOneLine() throws Exception {
        CliRunner r = failing(track(firstBoxes(1), tmp.resolve("r.csv"), "--set", "box_refinement_size_rate=abc"));
        assertTrue(r.err.contains("--set: the tracker parameter box_refinement_size_rate must be a number, not 'abc'"),
                r.err);
    }

    @Test
    void aPairWithoutValueIsOneLine() throws Exception {
        CliRunner r = failing(track(firstBoxes(1), tmp.resolve("r.csv"), "--set", "box_refinement_size_rate"));
        assertTrue(r.err.contains("'box_refinement_size_rate' is not key=value"), r.err);
    }

    private CliRunner failing(String[] args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(2, r.code, "a usage error: " + r.err);
        List<String> lines = r.err.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
        assertEquals(1, lines.size(), "one line: " + r.err);
        assertTrue(lines.get(0).startsWith("prdimp: error: "), lines.get(0));
        assertFalse(r.err.contains("\tat ") || r.out.contains("\tat "), "no stack trace");
        assertFalse(Files.exists(tmp.resolve("r.csv")), "nothing written");
        return r;
    }

    /** Rows whose w or h, as written, differ from their target's given box. */
    private static int sizesChanged(List<TargetResult> rows, List<String> given) {
        List<Integer> targets = new ArrayList<>(new TreeSet<>(rows.stream().map(r -> r.target).collect(Collectors.toList())));
        assertEquals(given.size(), targets.size(), "one target per --box");
        int changed = 0;
        for (TargetResult r : rows) {
            Box g = Box.parse(given.get(targets.indexOf(r.target)));
            if (!twoDecimals(r.box.w).equals(twoDecimals(g.w)) || !twoDecimals(r.box.h).equals(twoDecimals(g.h))) {
                changed++;
            }
        }
        return changed;
    }

    private static String twoDecimals(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** The first frame's boxes of the sample's first {@code n} tracks, as x,y,w,h. */
    private static List<String> firstBoxes(int n) throws Exception {
        return Files.readAllLines(Paths.get(SAMPLE + ".csv")).stream().skip(1).map(l -> l.split(","))
                .filter(f -> f[1].equals("0")).limit(n).map(f -> String.join(",", f[2], f[3], f[4], f[5]))
                .collect(Collectors.toList());
    }

    private static String[] track(List<String> boxes, Path csv, String... more) {
        List<String> args = new ArrayList<>(List.of("track", "--input", SAMPLE + ".tif", "--frames", FRAMES, "--model",
                TestPaths.models().resolve("default").toString(), "--device", "cpu", "--out", csv.toString()));
        for (String b : boxes) {
            args.add("--box");
            args.add(b);
        }
        return Stream.concat(args.stream(), Stream.of(more)).toArray(String[]::new);
    }
}
