package org.prdimp.fiji.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "PrDiMP Track" from macros in a headless JVM (./prdimp macro): results in the system Results table
 * (nResults, getResult, saveAs("Results")), calibrated values against hand-computed ones, time-lapses
 * and z-stacks, RGB and 32-bit input, and every bad input as one line with exit code 2.
 */
class HeadlessCommandTest {
    @TempDir
    static Path tmp;
    static Path stack;

    @BeforeAll
    static void data() throws Exception {
        E2e.synthetic(tmp, "cells", "--preset", "fast", "--frames", "8", "--objects", "1", "--seed", "4");
        stack = tmp.resolve("cells.tif");
    }

    private static E2e.Run macro(String name, String code) throws Exception {
        return E2e.macro(Path.of(E2e.write(tmp, name, code)), stack.toString());
    }

    @Test
    void calibratedResultsMatchHandComputedValues() throws Exception {
        Path csv = tmp.resolve("calibrated.csv");
        E2e.Run r = macro("calibrated.ijm", String.join("\n",
                "open(getArgument());",
                "n = nSlices;",
                // 0.5 x 0.25 micron pixels, origin at pixel (10, 20), 2 s between frames
                "run(\"Properties...\", \"channels=1 slices=1 frames=\" + n + \" pixel_width=0.5 pixel_height=0.25"
                        + " voxel_depth=3 frame=[2 sec] origin=10,20 unit=micron\");",
                "makeRectangle(30, 40, 24, 20);",
                "run(\"PrDiMP Track\", \"targets=roi first_frame=1 last_frame=5 channel=1 axis=auto model=bundled device=cpu"
                        + " results_table\");",
                "print(\"rows=\" + nResults);",
                "print(\"x_cal=\" + getResult(\"x_cal\", 0));",
                "print(\"y_cal=\" + getResult(\"y_cal\", 0));",
                "print(\"cx_cal=\" + getResult(\"cx_cal\", 0));",
                "print(\"w_cal=\" + getResult(\"w_cal\", 0));",
                "print(\"time=\" + getResult(\"time\", 4));",
                "print(\"state=\" + getResultString(\"state\", 0));",
                "saveAs(\"Results\", \"" + csv + "\");"));
        assertEquals(0, r.code, r.err);
        // hand-computed from the rectangle (30, 40, 24, 20) in frame 1: x_cal = (30 - 10) x 0.5 = 10,
        // y_cal = (40 - 20) x 0.25 = 5, cx_cal = (30 + 12 - 10) x 0.5 = 16, w_cal = 24 x 0.5 = 12;
        // row 4 is frame 5: time = 5 x 2 s = 10
        assertEquals("5", E2e.printed(r.out, "rows"));
        assertEquals(10.0, Double.parseDouble(E2e.printed(r.out, "x_cal")), 1e-9);
        assertEquals(5.0, Double.parseDouble(E2e.printed(r.out, "y_cal")), 1e-9);
        assertEquals(16.0, Double.parseDouble(E2e.printed(r.out, "cx_cal")), 1e-9);
        assertEquals(12.0, Double.parseDouble(E2e.printed(r.out, "w_cal")), 1e-9);
        assertEquals(10.0, Double.parseDouble(E2e.printed(r.out, "time")), 1e-9);
        List<Map<String, String>> rows = E2e.readCsv(csv);
        assertEquals(5, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            int frame = (int) E2e.num(row, "frame");
            assertEquals(i + 1, frame);
            assertEquals(frame * 2.0, E2e.num(row, "time"), 1e-9);
            if (!"not_found".equals(row.get("peak_state"))) {
                // every row: the calibrated values follow from the pixel values (4 decimals in the file)
                assertEquals((E2e.num(row, "x") - 10) * 0.5, E2e.num(row, "x_cal"), 2e-4, row.toString());
                assertEquals((E2e.num(row, "y") - 20) * 0.25, E2e.num(row, "y_cal"), 2e-4, row.toString());
                assertEquals(E2e.num(row, "w") * 0.5, E2e.num(row, "w_cal"), 2e-4);
                assertEquals(E2e.num(row, "h") * 0.25, E2e.num(row, "h_cal"), 2e-4);
                assertEquals(E2e.num(row, "x") + E2e.num(row, "w") / 2, E2e.num(row, "cx"), 2e-4);
                assertEquals((E2e.num(row, "cy") - 20) * 0.25, E2e.num(row, "cy_cal"), 2e-4);
                assertEquals(E2e.num(row, "sigma_x_px") * 0.5, E2e.num(row, "sigma_x"), 2e-4);
                assertEquals(E2e.num(row, "sigma_y_px") * 0.25, E2e.num(row, "sigma_y"), 2e-4);
            }
        }
    }

    @Test
    void zStackRgbAnd32BitAreTracked() throws Exception {
        E2e.Run r = macro("types.ijm", String.join("\n",
                "open(getArgument());",
                "id = getImageID();",
                // a z-stack (the generator's file has its frames as slices): time column = slice x voxel depth
                "run(\"Properties...\", \"channels=1 slices=\" + nSlices + \" frames=1 pixel_width=1 pixel_height=1 voxel_depth=3\");",
                "makeRectangle(30, 40, 24, 20);",
                "run(\"PrDiMP Track\", \"targets=roi first_frame=0 last_frame=3 channel=1 axis=z model=bundled device=cpu results_table\");",
                "print(\"zrows=\" + nResults);",
                "print(\"ztime=\" + getResult(\"time\", 3));",
                "run(\"Select None\");",
                "run(\"Duplicate...\", \"duplicate\");",
                "run(\"RGB Color\");",
                "makeRectangle(30, 40, 24, 20);",
                "run(\"PrDiMP Track\", \"targets=roi first_frame=0 last_frame=3 channel=1 axis=auto model=bundled device=cpu results_table\");",
                "print(\"rgbrows=\" + nResults);",
                "selectImage(id);",
                "run(\"32-bit\");",
                "makeRectangle(30, 40, 24, 20);",
                "run(\"PrDiMP Track\", \"targets=roi first_frame=0 last_frame=3 channel=1 axis=auto model=bundled device=cpu results_table\");",
                "print(\"floatrows=\" + nResults);"));
        assertEquals(0, r.code, r.err);
        assertEquals("4", E2e.printed(r.out, "zrows"));
        assertEquals(9.0, Double.parseDouble(E2e.printed(r.out, "ztime")), 1e-9);
        assertEquals("4", E2e.printed(r.out, "rgbrows"));
        assertEquals("4", E2e.printed(r.out, "floatrows"));
        assertTrue(r.out.contains("RGB: all three colour channels are used"), r.out);
        assertTrue(r.out.contains("32-bit intensities"), r.out);
    }

    @Test
    void hyperstackChannelIsChosen() throws Exception {
        // 2 channels x 6 time points: a square moving right by 4 px per frame in channel 2 only
        E2e.Run r = macro("hyperstack.ijm", String.join("\n",
                "newImage(\"hs\", \"8-bit black\", 96, 96, 2, 1, 6);",
                "for (f = 1; f <= 6; f++) {",
                "  Stack.setPosition(2, 1, f);",
                "  setColor(200); fillRect(20 + 4 * (f - 1), 40, 14, 14);",
                "  Stack.setPosition(1, 1, f);",
                "  setColor(30); fillRect(0, 0, 96, 96); setColor(90); fillRect(60, 10, 10, 10);",
                "}",
                "run(\"Select None\");",
                "run(\"PrDiMP Track\", \"targets=boxes boxes=[20,40,14,14] channel=2 axis=time device=cpu results_table\");",
                "print(\"rows=\" + nResults);",
                "print(\"cx=\" + getResult(\"cx\", 5));",
                "run(\"PrDiMP Track\", \"targets=boxes boxes=[20,40,14,14] channel=3 device=cpu results_table\");"));
        // channel 3 does not exist: the second run refuses, after the first one tracked
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("has 2 channels, so channel 3 does not exist"), r.err);
        assertEquals("6", E2e.printed(r.out, "rows"));
        // the square's centre: 27 + 4 x 5 = 47 in the last frame
        assertEquals(47.0, Double.parseDouble(E2e.printed(r.out, "cx")), 3.0);
    }

    @Test
    void badInputIsOneLineWithExitCode2() throws Exception {
        String open = "open(getArgument());\n";
        String track = "run(\"PrDiMP Track\", \"targets=auto first_frame=0 last_frame=-1 channel=1 axis=auto model=bundled"
                + " device=cpu results_table\");\n";
        expectError("noimage.ijm", "run(\"PrDiMP Track\");\n", "no image: open a time-lapse");
        expectError("noroi.ijm", open + "run(\"PrDiMP Track\");\n", "no target: draw a rectangle");
        expectError("outside.ijm", open + "run(\"PrDiMP Track\", \"targets=boxes boxes=[1000,1000,20,20] device=cpu\");\n",
                "lies outside the 384x384 image");
        expectError("single.ijm", "newImage(\"one\", \"8-bit ramp\", 64, 64, 1);\nmakeRectangle(10, 10, 20, 20);\n" + track,
                "a single frame; tracking needs a time-lapse");
        expectError("model.ijm", open + "makeRectangle(30, 40, 24, 20);\nrun(\"PrDiMP Track\", \"targets=roi model=["
                + tmp.resolve("no such model") + "] device=cpu\");\n", "does not exist; give a folder holding rdf.yaml");
        expectError("gpu.ijm", open + "makeRectangle(30, 40, 24, 20);\nrun(\"PrDiMP Track\", \"targets=roi device=gpu\");\n",
                "GPU asked for but not usable");
        expectError("range.ijm", open + "makeRectangle(30, 40, 24, 20);\nrun(\"PrDiMP Track\", \"targets=roi first_frame=5"
                + " last_frame=50 device=cpu\");\n", "do not fit the 8 frames");
    }

    private static void expectError(String name, String code, String expected) throws Exception {
        E2e.Run r = macro(name, code);
        assertEquals(2, r.code, name + ": " + r.err);
        List<String> lines = r.err.lines().filter(l -> !l.isBlank()).collect(java.util.stream.Collectors.toList());
        assertEquals(1, lines.size(), name + ": one line expected, got:\n" + r.err);
        assertTrue(lines.get(0).startsWith("prdimp: error: ") && lines.get(0).contains(expected), name + ": " + lines.get(0));
    }

    @Test
    void macroErrorsAndWrongUse() throws Exception {
        E2e.Run syntax = macro("syntax.ijm", "print(\"before\");\nx = ;\n");
        assertEquals(1, syntax.code);
        assertTrue(syntax.err.contains("prdimp: error: syntax.ijm"), syntax.err);
        E2e.Run missing = E2e.macro(tmp.resolve("missing.ijm"), null);
        assertEquals(2, missing.code);
        assertTrue(missing.err.contains("macro file") && missing.err.contains("does not exist"), missing.err);
        E2e.Run argument = E2e.macro(Path.of(E2e.write(tmp, "arg.ijm", "print(\"arg=\" + getArgument());\n")), "a b=[c d]");
        assertEquals(0, argument.code);
        assertEquals("a b=[c d]", E2e.printed(argument.out, "arg"));
        assertTrue(Files.exists(stack));
    }
}
