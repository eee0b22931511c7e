package org.prdimp.fiji.engine.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-frame sigma model (format 3): its fit, its use, its file, and the older files without it. */
class SigmaModelTest {
    private static Evidence evidence(double spread, double size, double logPeak, boolean colour) {
        double[] v = new double[Evidence.NAMES.size()];
        v[Evidence.index("spread")] = spread;
        v[Evidence.index("log_size")] = Math.log(size);
        v[Evidence.index("log_peak")] = logPeak;
        v[Evidence.index("colour_source")] = colour ? 1 : 0;
        return new Evidence(v);
    }

    /**
     * Frames whose true sigma is exp(0.3) raw^0.5 size^0.4 (raw: the map's spread in pixels), so
     * ln k = ln(sigma / raw) = 0.3 - 0.5 log_spread - 0.1 log_size; {@code failures} of them tracked failures
     * with errors far outside.
     */
    private static List<CalibrationFit.Sample> frames(Random rnd, int n, double failures, boolean colour) {
        List<CalibrationFit.Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double size = Math.exp(Math.log(8) + rnd.nextDouble() * Math.log(20)); // 8 to 160 px
            double raw = size * Math.exp(Math.log(0.1) + rnd.nextDouble() * Math.log(8)); // 0.1 to 0.8 of the size
            double sigma = Math.exp(0.3) * Math.sqrt(raw) * Math.pow(size, 0.4);
            boolean fail = rnd.nextDouble() < failures;
            double dx = fail ? (2 + rnd.nextDouble()) * size : sigma * rnd.nextGaussian();
            double dy = fail ? size : sigma * rnd.nextGaussian();
            out.add(new CalibrationFit.Sample(evidence(raw / size, size, 0, colour), !fail, true, dx, dy, raw, raw,
                    "seq" + (i % 20)));
        }
        return out;
    }

    private static double trueK(CalibrationFit.Sample s) {
        double size = Math.exp(s.evidence().get("log_size"));
        double raw = s.rawSx();
        return Math.exp(0.3) * Math.sqrt(raw) * Math.pow(size, 0.4) / raw;
    }

    @Test
    void maximumLikelihoodRecoversAKnownSigmaAndFailuresOnlyMoveTheFactor() {
        List<CalibrationFit.Sample> s = frames(new Random(11), 4000, 0.05, false);
        double[] p = new double[s.size()];
        java.util.Arrays.fill(p, 0.9);
        double[] w = CalibrationFit.sequenceWeights(s);
        SigmaModel m = SigmaFit.fit(s, p, 0.5, w, List.of("log_spread", "log_size"));
        assertEquals(-0.5, m.coefficients()[0], 0.05, "log_spread coefficient " + m);
        assertEquals(-0.1, m.coefficients()[1], 0.05, "log_size coefficient " + m);
        // the shape is the truth's: k / true k is the same for every frame, and only the factor is left to set
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (CalibrationFit.Sample x : s) {
            double ratio = m.scale(x.evidence(), 0.9) / trueK(x);
            lo = Math.min(lo, ratio);
            hi = Math.max(hi, ratio);
        }
        assertTrue(hi / lo < 1.1, "k / true k from " + lo + " to " + hi);
        // the factor: the median sequence's tracked frames (5 % failures far off) have 93.5 % in the 95 % ellipse;
        // the successes need about 0.935 / 0.95 of them inside
        double need = Math.sqrt(-2 * Math.log(1 - CalibrationFit.TARGET_COVERAGE / 0.95) / Reliability.CHI2_95);
        assertEquals(need, lo, 0.12 * need);
        double[] perSequence = new double[20];
        int in = 0;
        for (int i = 0; i < s.size(); i++) {
            CalibrationFit.Sample x = s.get(i);
            double k = m.scale(x.evidence(), 0.9);
            int c = Reliability.covered(x.dx(), x.dy(), k * x.rawSx(), k * x.rawSy());
            in += c;
            perSequence[i % 20] += c / 200.0;
        }
        java.util.Arrays.sort(perSequence);
        assertEquals(CalibrationFit.TARGET_COVERAGE, (perSequence[9] + perSequence[10]) / 2, 0.003, "median sequence");
        assertEquals(CalibrationFit.TARGET_COVERAGE, in / (double) s.size(), 0.015, "all frames");
    }

    @Test
    void theFactorIsSetByTheMedianSequenceNotByOneFullOfFailures() {
        // 10 sequences on target; 1 of 11 confidently on the wrong object a quarter of the time (all frames
        // together stay above the 90 % floor, so the median sequence sets the factor)
        Random rnd = new Random(19);
        List<CalibrationFit.Sample> s = new ArrayList<>();
        for (int q = 0; q < 11; q++) {
            for (CalibrationFit.Sample x : frames(rnd, 150, q < 1 ? 0.25 : 0, false)) {
                s.add(new CalibrationFit.Sample(x.evidence(), x.success(), true, x.dx(), x.dy(), x.rawSx(), x.rawSy(), "q" + q));
            }
        }
        double[] p = new double[s.size()];
        java.util.Arrays.fill(p, 0.9);
        SigmaModel m = SigmaFit.fit(s, p, 0.5, CalibrationFit.sequenceWeights(s), List.of("log_spread", "log_size"));
        double onTarget = Math.sqrt(-2 * Math.log(1 - CalibrationFit.TARGET_COVERAGE) / Reliability.CHI2_95);
        for (int i = 0; i < 20; i++) {
            CalibrationFit.Sample x = s.get(s.size() - 1 - i);
            assertEquals(onTarget, m.scale(x.evidence(), 0.9) / trueK(x), 0.12 * onTarget, "frame " + i);
        }
    }

    @Test
    void theFactorHoldsAtLeastNinetyPercentOfTheOnTargetFramesWhenMostSequencesErrWider() {
        // 6 of 11 sequences on target with the map's errors, 5 on target with errors 3 times wider: the median
        // sequence (a narrow one) alone would leave most frames of the wide ones outside the ellipse
        Random rnd = new Random(23);
        List<CalibrationFit.Sample> s = new ArrayList<>();
        for (int q = 0; q < 11; q++) {
            double wider = q < 5 ? 3 : 1;
            for (CalibrationFit.Sample x : frames(rnd, 150, 0, false)) {
                s.add(new CalibrationFit.Sample(x.evidence(), true, true, wider * x.dx(), wider * x.dy(), x.rawSx(),
                        x.rawSy(), "q" + q));
            }
        }
        double[] p = new double[s.size()];
        java.util.Arrays.fill(p, 0.9);
        SigmaModel m = SigmaFit.fit(s, p, 0.5, CalibrationFit.sequenceWeights(s), List.of("log_spread", "log_size"));
        int in = 0;
        int narrowIn = 0;
        for (CalibrationFit.Sample x : s) {
            double k = m.scale(x.evidence(), 0.9);
            int c = Reliability.covered(x.dx(), x.dy(), k * x.rawSx(), k * x.rawSy());
            in += c;
            narrowIn += Integer.parseInt(x.sequence.substring(1)) >= 5 ? c : 0;
        }
        double all = in / (double) s.size();
        assertTrue(all >= SigmaFit.MIN_POOLED_COVERAGE - 0.005 && all <= SigmaFit.MIN_POOLED_COVERAGE + 0.03, "all frames " + all);
        // the narrow sequences are then covered beyond the median's target (the ellipse is wider than they need)
        assertTrue(narrowIn / (6 * 150.0) > CalibrationFit.TARGET_COVERAGE, "narrow sequences " + narrowIn / 900.0);
    }

    @Test
    void tooFewFramesForAShapeGiveOneFactor() {
        List<CalibrationFit.Sample> s = frames(new Random(3), 40, 0, false);
        double[] p = new double[s.size()];
        java.util.Arrays.fill(p, 0.9);
        SigmaModel m = SigmaFit.fit(s, p, 0.5, CalibrationFit.sequenceWeights(s), List.of("log_spread", "log_size"));
        assertTrue(m.terms.isEmpty(), "40 frames do not carry 3 coefficients: " + m);
        assertThrows(IllegalArgumentException.class, () -> SigmaFit.fit(s.subList(0, 10), p, 0.5,
                CalibrationFit.sequenceWeights(s.subList(0, 10)), List.of("log_spread")));
    }

    @Test
    void theCalibrationFitCarriesAModelPerDomainAndTheFileKeepsIt(@TempDir Path tmp) throws Exception {
        Random rnd = new Random(7);
        List<CalibrationFit.Sample> s = new ArrayList<>(frames(rnd, 1500, 0.03, false));
        for (CalibrationFit.Sample x : frames(rnd, 1500, 0.03, true)) {
            // colour sources: errors three times wider
            s.add(new CalibrationFit.Sample(x.evidence(), x.success(), true, 3 * x.dx(), 3 * x.dy(), x.rawSx(), x.rawSy(), "c"
                    + s.size() % 20));
        }
        Calibration c = CalibrationFit.fit(s, List.of("log_peak"), List.of("log_spread", "log_size"), "abc", Map.of());
        assertNotNull(c.sigmaModel);
        assertNotNull(c.colour.sigmaModel);
        Evidence grey = evidence(0.3, 40, 0, false);
        Evidence colour = evidence(0.3, 40, 0, true);
        assertEquals(3, c.sigmaScale(colour) / c.sigmaScale(grey), 0.35);
        // 3 % tracked failures: the successes need 0.935 / 0.97 of them inside the ellipse
        double need = Math.sqrt(-2 * Math.log(1 - CalibrationFit.TARGET_COVERAGE / 0.97) / Reliability.CHI2_95);
        double truth = Math.exp(0.3) * Math.sqrt(12) * Math.pow(40, 0.4) / 12;
        assertEquals(truth * need, c.sigmaScale(grey), 0.1 * truth);
        Path f = tmp.resolve("calibration.json");
        c.write(f);
        String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"format\": \"prdimp-calibration/3\"") && text.contains("\"sigma_model\""), text);
        Calibration r = Calibration.read(f);
        assertEquals(c.sigmaScale(grey), r.sigmaScale(grey), 1e-4 * c.sigmaScale(grey));
        assertEquals(c.sigmaScale(colour), r.sigmaScale(colour), 1e-4 * c.sigmaScale(colour));
        assertEquals(c.sigmaModel.terms, r.sigmaModel.terms);
        // the frame the box was given in: the median factor
        assertTrue(r.sigmaScale > 0 && Math.abs(r.sigmaScale - c.sigmaScale) < 1e-4 * c.sigmaScale);
        // terms are clipped to their fit range: a frame far outside gets the edge's factor
        assertEquals(c.sigmaScale(evidence(0.8, 160, 0, false)), c.sigmaScale(evidence(50, 1e6, 0, false)), 1e-9);
    }

    @Test
    void theShippedDefaultHasASigmaModelWithinTheBandOnHeldOutValidation() throws Exception {
        // the figures its calibrate run recorded on the held-out validation sequences (never the acceptance set)
        Calibration c = Calibration.read(org.prdimp.fiji.engine.TestPaths.models().resolve("default").resolve(Calibration.FILE));
        assertNotNull(c.sigmaModel, "models/default: refit with ./prdimp calibrate (format 3 has a sigma model)");
        // a map per domain where the validation had enough frames of each, else one map for both
        assertTrue(c.colour == null || c.colour.sigmaModel != null);
        for (String domain : c.colour == null ? new String[] {"held_out"} : new String[] {"held_out_grey", "held_out_colour"}) {
            @SuppressWarnings("unchecked")
            Map<String, Object> figures = (Map<String, Object>) c.fit.get(domain);
            double coverage = ((Number) figures.get("sigma_coverage_95")).doubleValue();
            assertTrue(coverage >= 0.90 && coverage <= 0.97, domain + " sigma coverage " + coverage);
        }
        // sigma grows with the map's spread on a given target, and the factor stays a plausible one
        Evidence narrow = evidence(0.15, 30, -2, false);
        Evidence wide = evidence(0.45, 30, -2, false);
        assertTrue(c.sigmaScale(wide) * 0.45 > c.sigmaScale(narrow) * 0.15, "sigma from a wider map is wider");
        assertTrue(c.sigmaScale(narrow) > 0.05 && c.sigmaScale(narrow) < 20, "k " + c.sigmaScale(narrow));
    }

    @Test
    void formatTwoFilesAreStillReadWithTheirOneFactor(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("calibration.json");
        Files.write(f, ("{\"format\": \"prdimp-calibration/2\", \"features\": [\"log_peak\"], \"mean\": [-2], \"scale\": [0.5],"
                + " \"weights\": [2], \"bias\": 1, \"tracked_threshold\": 0.5, \"lost_threshold\": 0.2, \"sigma_scale\": 0.75,"
                + " \"colour\": {\"features\": [\"log_peak\"], \"mean\": [-2], \"scale\": [0.5], \"weights\": [1], \"bias\": 0,"
                + " \"tracked_threshold\": 0.4, \"lost_threshold\": 0.2, \"sigma_scale\": 4.5}}").getBytes(StandardCharsets.UTF_8));
        Calibration r = Calibration.read(f);
        assertNull(r.sigmaModel);
        assertNull(r.colour.sigmaModel);
        assertEquals(0.75, r.sigmaScale(evidence(0.2, 30, -1, false)), 0);
        assertEquals(0.75, r.sigmaScale(evidence(0.9, 300, -3, false)), 0);
        assertEquals(4.5, r.sigmaScale(evidence(0.2, 30, -1, true)), 0);
        // written again, it is format 3 without a sigma model: the same factors
        r.write(f);
        Calibration again = Calibration.read(f);
        assertNull(again.sigmaModel);
        assertEquals(4.5, again.sigmaScale(evidence(0.2, 30, -1, true)), 0);
    }

    @Test
    void theEarlierShippedFormatTwoMapStillServesWithItsFactors() throws Exception {
        // models/default/calibration.json as shipped before format 3 (a copy kept as a test resource)
        Path f;
        try (java.io.InputStream in = SigmaModelTest.class.getResourceAsStream("/calibration/default-format2.json")) {
            f = Files.createTempFile("default-format2", ".json");
            Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            Calibration r = Calibration.read(f);
            assertNull(r.sigmaModel);
            assertEquals(0.977502, r.sigmaScale(evidence(0.3, 30, -2, false)), 1e-9);
            assertEquals(8.6832, r.sigmaScale(evidence(0.3, 30, -2, true)), 1e-9);
            assertEquals(0.7, r.trackedThreshold, 0);
            assertEquals(0.41, r.colour.trackedThreshold, 0);
            double p = r.probability(evidence(0.3, 30, -2, false));
            assertTrue(p > 0 && p < 1, "probability " + p);
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void badSigmaModelsAreRefusedByName(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("calibration.json");
        String head = "{\"format\": \"prdimp-calibration/3\", \"features\": [\"log_peak\"], \"mean\": [-2], \"scale\": [0.5],"
                + " \"weights\": [2], \"bias\": 1, \"tracked_threshold\": 0.5, \"lost_threshold\": 0.2, \"sigma_scale\": 0.75, ";
        Files.write(f, (head + "\"sigma_model\": {\"terms\": [\"wobble\"], \"intercept\": 0, \"coefficients\": [1], \"low\": [0],"
                + " \"high\": [1], \"factor\": 1}}").getBytes(StandardCharsets.UTF_8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibration.read(f));
        assertTrue(e.getMessage().contains("wobble"), e.getMessage());
        Files.write(f, (head + "\"sigma_model\": {\"terms\": [\"log_size\"], \"intercept\": 0, \"coefficients\": [1], \"low\": [0],"
                + " \"high\": [1], \"factor\": 0}}").getBytes(StandardCharsets.UTF_8));
        e = assertThrows(IllegalArgumentException.class, () -> Calibration.read(f));
        assertTrue(e.getMessage().contains("factor"), e.getMessage());
    }
}
