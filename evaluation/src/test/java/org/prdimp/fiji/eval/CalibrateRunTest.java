package org.prdimp.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prdimp.fiji.engine.ModelFolder;
import org.prdimp.fiji.engine.calibration.Calibration;

/**
 * A real, short {@code prdimp calibrate} run: the untrained compact model on held-out procedural tracks
 * (3 tracks of 25 frames, no real folder), written into a copy of the model folder that the engine then
 * opens with the new map.
 */
class CalibrateRunTest {
    @TempDir
    Path tmp;

    @Test
    void fitsAndWritesAMapTheEngineReads() throws Exception {
        Path model = tmp.resolve("model");
        Path src = Cli.models().resolve("compact-init");
        Files.createDirectories(model);
        try (Stream<Path> files = Files.list(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().equals(Calibration.FILE)) {
                    Files.copy(p, model.resolve(p.getFileName()));
                }
            }
        }
        Path empty = Files.createDirectories(tmp.resolve("no-real-sequences"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CalibrateMain.run(new String[] {"--model", model.toString(), "--validation", empty.toString(),
            "--procedural", "nuclei", "--max-tracks", "3", "--max-frames", "25", "--cache", tmp.resolve("cache").toString(),
            "--dump", tmp.resolve("frames.csv").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, stdout + err.toString(StandardCharsets.UTF_8));
        assertTrue(stdout.contains("pass 1: tracked threshold") && stdout.contains("fit      72 frames"), stdout);
        Calibration c = ModelFolder.open(model).calibration();
        assertEquals(ModelFolder.open(model).weightsSha256(), c.weightsSha256);
        assertTrue(c.sigmaScale > 0 && c.trackedThreshold >= 0.3 && c.trackedThreshold <= 0.7);
        assertEquals(1 + 72, Files.readAllLines(tmp.resolve("frames.csv")).size(), "header and 3 x 24 frames");
        assertTrue(c.sigmaModel != null && c.sigmaScale(sampleEvidence(tmp)) > 0,
                "format 3: a sigma model");

        // refit from the dump, without the engine: the same map (up to the dump's 5 digits)
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        code = CalibrateMain.run(new String[] {"--model", model.toString(), "--from-dump", tmp.resolve("frames.csv").toString()},
                new PrintStream(again, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String refit = again.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, refit + err.toString(StandardCharsets.UTF_8));
        assertTrue(refit.contains("fit      72 frames"), refit);
        Calibration r = ModelFolder.open(model).calibration();
        org.prdimp.fiji.engine.calibration.Evidence e = sampleEvidence(tmp);
        assertEquals(c.probability(e), r.probability(e), 1e-3);
        assertEquals(c.sigmaScale(e), r.sigmaScale(e), 1e-3 * c.sigmaScale(e));
        assertEquals(c.trackedThreshold, r.trackedThreshold, 0);
    }

    /** The evidence of the first frame in the dump. */
    private static org.prdimp.fiji.engine.calibration.Evidence sampleEvidence(Path tmp) throws Exception {
        return CalibrateMain.readDump(tmp.resolve("frames.csv"))[0].samples.get(0).evidence();
    }

    @Test
    void badUseIsOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CalibrateMain.run(new String[] {"--passes", "2"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertEquals("prdimp: error: calibrate needs --model DIR (the model folder to calibrate)",
                err.toString(StandardCharsets.UTF_8).trim());
    }
}
