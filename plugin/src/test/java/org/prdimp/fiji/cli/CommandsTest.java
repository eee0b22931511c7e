package org.prdimp.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ij.IJ;
import ij.ImagePlus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TestPaths;
import org.prdimp.fiji.setup.ModelLocator;

/** The demo and the doctor, end to end. */
class CommandsTest {

    @Test
    void demoTracksTheBundledSampleAndWritesEverything(@TempDir Path tmp) throws Exception {
        CliRunner r = CliRunner.run("demo", "--out", tmp.toString());
        assertEquals(0, r.code, r.err);
        if (Files.isDirectory(TestPaths.models().resolve(ModelLocator.DEFAULT))) {
            assertFalse(r.err.contains("untrained"), "the trained default model is used without a note: " + r.err);
        } else {
            assertTrue(r.err.contains("untrained"), "the demo says it uses the untrained compact model");
        }
        List<TargetResult> rows = CliRunner.readCsv(tmp.resolve("results.csv"));
        assertEquals(6 * 60, rows.size());
        ImagePlus stack = IJ.openImage(tmp.resolve("tracked.tif").toString());
        assertEquals(60, stack.getStackSize());
        assertEquals(ImagePlus.COLOR_RGB, stack.getType());
        ImagePlus plot = IJ.openImage(tmp.resolve("confidence.png").toString());
        assertTrue(plot.getWidth() >= 600);
        String summary = Files.readString(tmp.resolve("summary.txt"));
        assertTrue(summary.contains("all targets: 354 frames"), summary);
    }

    @Test
    void doctorReportsEngineDevicesAndModel() {
        CliRunner r = CliRunner.run("doctor");
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("libtorch 2.7.1 (CPU build"), r.out);
        assertTrue(r.out.contains("gpus:    0"), r.out);
        assertTrue(r.out.contains("weights sha256 verified"), r.out);
        assertTrue(r.out.contains("ready:"), r.out);
    }

    @Test
    void doctorFailsOnAMissingModel(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("doctor", "--model", tmp.resolve("none").toString());
        assertEquals(1, r.code);
        assertTrue(r.out.contains("model:   FAILED"), r.out);
    }
}
