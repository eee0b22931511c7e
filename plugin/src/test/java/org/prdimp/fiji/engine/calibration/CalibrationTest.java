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
import org.prdimp.fiji.engine.Frame;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.ModelFolder;
import org.prdimp.fiji.engine.MultiTargetTracker;
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
        assertEquals(TargetState.TRACKED, TargetState.of(0.6, true, c.trackedThreshold, c.lostThreshold));
        assertEquals(TargetState.UNCERTAIN, TargetState.of(0.59, true, c.trackedThreshold, c.lostThreshold));
        assertEquals(TargetState.LOST, TargetState.of(0.19, true, c.trackedThreshold, c.lostThreshold));
        assertEquals(TargetState.LOST, TargetState.of(0.99, false, c.trackedThreshold, c.lostThreshold), "no box: lost whatever the probability");
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

    private static double[] evidence(double logPeak, double secondRatio, boolean colour) {
        double[] v = evidence(logPeak, secondRatio);
        v[Evidence.index("colour_source")] = colour ? 1 : 0;
        return v;
    }

    @Test
    void colourSourcesGetTheColourMapAndItsThresholds(@TempDir Path tmp) throws Exception {
        Calibration grey = new Calibration(List.of("log_peak"), new double[] {-2}, new double[] {0.5}, new double[] {2}, 1,
                0.6, 0.2, 0.5, "abc", Map.of("note", "grey"));
        Calibration colour = new Calibration(List.of("second_ratio"), new double[] {0.5}, new double[] {0.25},
                new double[] {-1}, -1, 0.4, 0.1, 3, "abc", null);
        Calibration c = grey.withColour(colour);
        Evidence g = new Evidence(evidence(-2, 0.75, false));
        Evidence k = new Evidence(evidence(-2, 0.75, true));
        assertEquals(1 / (1 + Math.exp(-1)), c.probability(g), 1e-12);
        assertEquals(1 / (1 + Math.exp(-(-1 - 1))), c.probability(k), 1e-12);
        assertEquals(TargetState.UNCERTAIN, TargetState.of(0.5, true, c.trackedThreshold(g), c.lostThreshold(g)));
        assertEquals(TargetState.TRACKED, TargetState.of(0.5, true, c.trackedThreshold(k), c.lostThreshold(k)));
        assertEquals(0.5, c.sigmaScale(g), 0);
        assertEquals(3, c.sigmaScale(k), 0);
        Path f = tmp.resolve("calibration.json");
        c.write(f);
        assertTrue(new String(Files.readAllBytes(f), StandardCharsets.UTF_8).contains(Calibration.FORMAT));
        Calibration r = Calibration.read(f);
        assertNotNull(r.colour);
        assertEquals(c.probability(g), r.probability(g), 1e-9);
        assertEquals(c.probability(k), r.probability(k), 1e-9);
        assertEquals(0.4, r.colour.trackedThreshold, 0);
        assertEquals(3, r.sigmaScale(k), 0);
        assertEquals("grey", r.fit.get("note"));
        // without a colour map, one map serves both
        assertEquals(grey.probability(g), grey.probability(k), 1e-12);
    }

    @Test
    void formatOneFilesAreStillRead(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("calibration.json");
        Files.write(f, ("{\"format\": \"prdimp-calibration/1\", \"features\": [\"log_peak\"], \"mean\": [-2], \"scale\": [0.5],"
                + " \"weights\": [2], \"bias\": 1, \"tracked_threshold\": 0.5, \"lost_threshold\": 0.2, \"sigma_scale\": 1.5}")
                .getBytes(StandardCharsets.UTF_8));
        Calibration r = Calibration.read(f);
        assertEquals(null, r.colour);
        assertEquals(1 / (1 + Math.exp(-(1 + 2 * 0.5 / 0.5))), r.probability(new Evidence(evidence(-1.5, 0, true))), 1e-12);
        assertEquals(1.5, r.sigmaScale(new Evidence(evidence(-1.5, 0, true))), 0);
        Files.write(f, "{\"format\": \"prdimp-calibration/9\"}".getBytes(StandardCharsets.UTF_8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibration.read(f));
        assertTrue(e.getMessage().contains("prdimp-calibration/9"), e.getMessage());
    }

    @Test
    void theDomainRuleTellsColourFromGrey() {
        int n = 100;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i / (float) n;
            b[i] = a[i] + 0.005f; // grey saved as RGB with small compression differences
        }
        assertTrue(!MultiTargetTracker.colourSource(new Frame(10, 10, a)), "one channel is grey");
        assertTrue(!MultiTargetTracker.colourSource(new Frame(10, 10, a, b, a.clone())), "three nearly equal channels are grey");
        float[] red = a.clone();
        for (int i = 0; i < 5; i++) {
            red[i] = 1;
        }
        assertTrue(MultiTargetTracker.colourSource(new Frame(10, 10, red, a, a.clone())), "channels that differ are colour");
    }

    @Test
    void eachDomainGetsItsOwnCalibratedMap() {
        // grey sources succeed from log_peak > -2.5, colour ones only from log_peak > -1.5: one map cannot serve both
        Random rnd = new Random(5);
        List<CalibrationFit.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            boolean colour = i % 2 == 1;
            double x = -4 + 3 * rnd.nextDouble();
            double truth = 1 / (1 + Math.exp(-(3 * (x + (colour ? 1.5 : 2.5)))));
            samples.add(new CalibrationFit.Sample(new Evidence(evidence(x, rnd.nextDouble(), colour)), rnd.nextDouble() < truth,
                    true, rnd.nextGaussian() * (colour ? 4 : 1), 0, 1, 1, (colour ? "c" : "g") + (i % 10)));
        }
        Calibration c = CalibrationFit.fit(samples, List.of("log_peak", "second_ratio"), null, null);
        assertNotNull(c.colour, "a map per domain");
        for (boolean colour : new boolean[] {false, true}) {
            List<CalibrationFit.Sample> d = new ArrayList<>();
            for (CalibrationFit.Sample x : samples) {
                if (x.evidence().colourSource() == colour) {
                    d.add(x);
                }
            }
            double[] p = new double[d.size()];
            boolean[] s = new boolean[d.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = c.probability(d.get(i).evidence());
                s[i] = d.get(i).success();
            }
            double ece = new Reliability(p, s, new boolean[p.length], new int[p.length]).ece();
            assertTrue(ece < 0.04, (colour ? "colour" : "grey") + " ECE " + ece);
        }
        assertTrue(c.colour.sigmaScale > 2.5 * c.sigmaScale, "colour errors are 4 times wider: " + c.colour.sigmaScale
                + " vs " + c.sigmaScale);
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
        for (String name : new String[] {"default", "compact-procedural", "compact-init"}) {
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
