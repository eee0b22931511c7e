package org.prdimp.fiji.engine.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.ModelFolder;
import org.prdimp.fiji.engine.TargetState;
import org.prdimp.fiji.engine.TestPaths;

class CalibrationTest {
    private static double[] evidence(double logPeak, double secondRatio) {
        double[] v = new double[Evidence.NAMES.size()];
        v[Evidence.index("log_peak")] = logPeak;
        v[Evidence.index("second_ratio")] = secondRatio;
        return v;
    }

    @Test
    void probabilityIsTheLogisticOfTheStandardisedFeatures() {
        Calibration c = new Calibration(List.of("log_peak", "second_ratio"), new double[] {-2, 0.5}, new double[] {0.5, 0.25},
                new double[] {1.5, -2}, 0.3, 0.6, 0.2, 0.4, null, null);
        double z = 0.3 + 1.5 * ((-1.5 + 2) / 0.5) - 2 * ((0.75 - 0.5) / 0.25);
        assertEquals(1 / (1 + Math.exp(-z)), c.probability(new Evidence(evidence(-1.5, 0.75))), 1e-12);
        // standardised values are clipped at 6
        double far = 0.3 + 1.5 * 6;
        assertEquals(1 / (1 + Math.exp(-far)), c.probability(new Evidence(evidence(100, 0.5))), 1e-12);
        assertEquals(TargetState.TRACKED, c.state(0.6, true));
        assertEquals(TargetState.UNCERTAIN, c.state(0.59, true));
        assertEquals(TargetState.LOST, c.state(0.19, true));
        assertEquals(TargetState.LOST, c.state(0.99, false), "no box: lost whatever the probability");
    }

    @Test
    void writtenMapsReadBackEqual(@TempDir Path tmp) throws Exception {
        Calibration c = new Calibration(List.of("log_peak", "entropy"), new double[] {-2.25, 0.8}, new double[] {0.5, 0.1},
                new double[] {1.25, -0.75}, -0.125, 0.55, 0.2, 0.41, "abc", Map.of("note", "a \"quoted\" text"));
        Path f = tmp.resolve("calibration.json");
        c.write(f);
        Calibration r = Calibration.read(f);
        assertEquals(c.features, r.features);
        assertEquals(0.55, r.trackedThreshold, 0);
        assertEquals(0.41, r.sigmaScale, 0);
        assertEquals("abc", r.weightsSha256);
        assertEquals("a \"quoted\" text", r.fit.get("note"));
        Evidence e = new Evidence(evidence(-1.7, 0));
        assertEquals(c.probability(e), r.probability(e), 1e-9);
    }

    @Test
    void badFilesAreRefusedByName(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("calibration.json");
        Files.write(f, "{\"format\": \"prdimp-calibration/1\", \"features\": [\"colour\"], \"mean\": [0], \"scale\": [1],"
                .concat(" \"weights\": [1], \"bias\": 0, \"tracked_threshold\": 0.5, \"lost_threshold\": 0.2, \"sigma_scale\": 1}")
                .getBytes(StandardCharsets.UTF_8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibration.read(f));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
    }

    @Test
    void theFitRecoversAKnownRelation() {
        // success depends on log_peak through a known logistic; the fit must find it and be calibrated
        Random rnd = new Random(3);
        List<CalibrationFit.Sample> samples = new ArrayList<>();
        int n = 4000;
        double[] p = new double[n];
        boolean[] s = new boolean[n];
        for (int i = 0; i < n; i++) {
            double x = -4 + 3 * rnd.nextDouble();
            double truth = 1 / (1 + Math.exp(-(3 * (x + 2.5))));
            boolean ok = rnd.nextDouble() < truth;
            double err = 2 * rnd.nextGaussian();
            samples.add(new CalibrationFit.Sample(new Evidence(evidence(x, rnd.nextDouble())), ok, true, err, 0, 1, 1));
        }
        Calibration c = CalibrationFit.fit(samples, List.of("log_peak", "second_ratio"), null, null);
        for (int i = 0; i < n; i++) {
            p[i] = c.probability(samples.get(i).evidence());
            s[i] = samples.get(i).success();
        }
        Reliability r = new Reliability(p, s, new boolean[n], new int[n]);
        assertTrue(r.ece() < 0.03, "ECE " + r.ece());
        assertTrue(r.failureAuroc() > 0.85, "AUROC " + r.failureAuroc());
        assertTrue(Math.abs(c.weights()[1]) < 0.1 * c.weights()[0], "the noise feature gets little weight");
        assertTrue(c.trackedThreshold >= 0.3 && c.trackedThreshold <= 0.7);
        // sigma: centre errors N(0, 2) in x only, raw sigma 1
        // 93.5 % of |N(0, 2)| lie below 2 x 1.845: k = 3.69 / sqrt(5.99) = 1.51
        assertEquals(1.51, c.sigmaScale, 0.15, "sigma scale");
    }

    @Test
    void reliabilityMeasuresOnHandComputedCases() {
        double[] conf = {0.05, 0.15, 0.95, 0.85, 0.55};
        boolean[] ok = {false, true, true, true, false};
        boolean[] flag = {true, true, false, false, true};
        int[] cov = {-1, -1, 1, 0, -1};
        Reliability r = new Reliability(conf, ok, flag, cov);
        // bins: [0.0] 0.05 vs 0; [0.1] 0.15 vs 1; [0.5] 0.55 vs 0; [0.8] 0.85 vs 1; [0.9] 0.95 vs 1
        assertEquals((0.05 + 0.85 + 0.55 + 0.15 + 0.05) / 5, r.ece(), 1e-12);
        // failures at 0.05 and 0.55; successes at 0.15, 0.85, 0.95: pairs with failure below success: 1+1+1 + 0+1+1 = 5 of 6
        assertEquals(5 / 6.0, r.failureAuroc(), 1e-12);
        assertEquals(1.0, r.failuresFlagged(), 0);
        assertEquals(2 / 3.0, r.flagsOnFailures(), 1e-12);
        assertEquals(0.5, r.sigmaCoverage(), 0);
        assertEquals(0, Reliability.covered(2, 2, 1, 1)); // q = 8 > 5.99
        assertEquals(1, Reliability.covered(1, 2, 1, 1)); // q = 5
    }

    @Test
    void theShippedModelsCarryACalibrationForTheirWeights() throws Exception {
        // a model whose weights change without a refit loses its calibration: this test fails until it is refitted
        for (String name : new String[] {"default", "compact-init"}) {
            Path folder = TestPaths.models().resolve(name);
            assertTrue(Files.isRegularFile(folder.resolve(Calibration.FILE)), name + " has no " + Calibration.FILE
                    + "; fit one with ./prdimp calibrate --model models/" + name);
            ModelFolder m = ModelFolder.open(folder);
            assertNotNull(m.calibration(), name);
            assertEquals(m.weightsSha256(), m.calibration().weightsSha256, name + ": calibration fitted for other weights");
        }
    }

    @Test
    void aCalibrationForOtherWeightsIsRefused(@TempDir Path tmp) throws Exception {
        Path src = TestPaths.models().resolve("compact-init");
        Path copy = tmp.resolve("model");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.naturalOrder())::iterator) {
                Path to = copy.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Calibration c = Calibration.read(copy.resolve(Calibration.FILE));
        new Calibration(c.features, new double[c.features.size()], ones(c.features.size()), c.weights(), c.bias(),
                c.trackedThreshold, c.lostThreshold, c.sigmaScale, "0000", null).write(copy.resolve(Calibration.FILE));
        ModelException e = assertThrows(ModelException.class, () -> ModelFolder.open(copy));
        assertTrue(e.getMessage().contains("fitted for other weights") && e.getMessage().contains("./prdimp calibrate"),
                e.getMessage());
        assertEquals(null, ModelFolder.openUncalibrated(copy).calibration());
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1);
        return v;
    }
}
