package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PrDiMP variant with NanoTrack's pretrained backbone (MobileNetV3-small: hard-swish, squeeze-
 * and-excite, depthwise convolutions), converted from ../shared/models/nanotrack/nanotrackv2.pth
 * into a temporary folder, runs in DJL's libtorch and reproduces every method's Python outputs.
 */
class NanoTrackModelTest {

    @Test
    void convertedNanoTrackModelReproducesPythonOutputs(@TempDir Path tmp) throws Exception {
        Path pth = TestPaths.repoRoot().resolve("../shared/models/nanotrack/nanotrackv2.pth");
        assumeTrue(Files.isRegularFile(pth), "skipped: ../shared/models/nanotrack/nanotrackv2.pth is absent");
        Path out = tmp.resolve("nanotrack-v2");
        Process p = new ProcessBuilder("/usr/bin/python3", "-m", "prdimp.convert.nanotrack", pth.toString(),
                out.toString(), "--golden").directory(TestPaths.models().toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "conversion timed out");
        assertEquals(0, p.exitValue(), "python3 -m prdimp.convert.nanotrack failed:\n" + log);
        assertTrue(Files.isRegularFile(out.resolve("LICENSE")) && Files.isRegularFile(out.resolve("SOURCE.txt")),
                "the model folder carries NanoTrack's licence and source note");
        ModelFolder model = ModelFolder.open(out);
        assertEquals("nanotrack-v2", model.variant());
        assertEquals(3, model.inputChannels());
        double worst = GoldenTensorTest.replay(model, out.resolve("golden"));
        System.out.printf("nanotrack-v2: largest absolute difference to Python %.3g%n", worst);
    }
}
