package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A model folder with some tracker parameters replaced for one run ({@link ModelFolder#withTrackerOverrides}),
 * on the committed {@code models/compact-init}: what the tracker reads changes, the weights and calibration do
 * not, and a key or value the engine cannot take is refused with one line naming it.
 */
class TrackerOverridesTest {
    private final ModelFolder folder = TestPaths.modelFolder("compact-init");

    @Test
    void overridesChangeWhatTheTrackerReadsAndKeepTheWeights() {
        TrackerParams before = new TrackerParams(folder);
        assertFalse(before.boxRefinement, "compact-init ships with box refinement off");
        assertEquals(5.0, before.searchAreaScale, 0);
        assertEquals(0.0, before.motionPriorSigma, 0);

        Map<String, Object> replaced = new LinkedHashMap<>();
        replaced.put("box_refinement", "true");
        replaced.put("search_area_scale", "4");
        replaced.put("update_interval", "7");
        replaced.put("motion_prior_sigma", 0.75); // optional key, absent from the folder, typed value
        ModelFolder changed = folder.withTrackerOverrides(replaced);
        TrackerParams after = new TrackerParams(changed);
        assertTrue(after.boxRefinement);
        assertEquals(4.0, after.searchAreaScale, 0);
        assertEquals(7, after.updateInterval);
        assertEquals(0.75, after.motionPriorSigma, 0);
        assertEquals(before.learningRate, after.learningRate, 0); // the rest as the folder says
        assertEquals(before.cropSize, after.cropSize);

        assertEquals("box_refinement=true,search_area_scale=4,update_interval=7,motion_prior_sigma=0.75",
                changed.trackerOverridesText());
        assertEquals(Boolean.TRUE, changed.trackerParams().get("box_refinement"));
        assertEquals(folder.weights(), changed.weights());
        assertEquals(folder.weightsSha256(), changed.weightsSha256());
        assertSame(folder.calibration(), changed.calibration());
        assertEquals(folder.name(), changed.name());

        // the folder itself is untouched; a second call adds to the first, the later value wins
        assertTrue(folder.trackerOverrides().isEmpty());
        assertFalse(new TrackerParams(folder).boxRefinement);
        ModelFolder twice = changed.withTrackerOverrides(Map.of("box_refinement", "false"));
        assertFalse(new TrackerParams(twice).boxRefinement);
        assertEquals(4.0, new TrackerParams(twice).searchAreaScale, 0);
        assertEquals("search_area_scale=4,update_interval=7,motion_prior_sigma=0.75,box_refinement=false",
                twice.trackerOverridesText());
    }

    /** Every key that may be replaced is one the tracker reads: some value of it changes {@link TrackerParams}. */
    @Test
    void everyOverridableKeyReachesTheTracker() throws Exception {
        List<Object> before = fields(new TrackerParams(folder));
        for (Map.Entry<String, TrackerOverrides.Kind> e : TrackerOverrides.KNOWN.entrySet()) {
            Object current = folder.trackerParams().get(e.getKey());
            List<Object> candidates = new ArrayList<>();
            switch (e.getValue()) {
                case FLAG:
                    candidates.add(!(current instanceof Boolean ? (Boolean) current : true));
                    break;
                case WHOLE_NUMBER:
                    candidates.add(String.valueOf(((Number) current).intValue() + 1));
                    break;
                default:
                    double v = current == null ? 0 : ((Number) current).doubleValue();
                    candidates.addAll(List.of(v * 0.5, v + 1, 0.5, 2.0));
            }
            boolean changed = false;
            for (Object c : candidates) {
                changed |= !fields(new TrackerParams(folder.withTrackerOverrides(Map.of(e.getKey(), c)))).equals(before);
            }
            assertTrue(changed, e.getKey() + " changes nothing the tracker reads");
        }
    }

    @Test
    void keysAndValuesTheEngineCannotTakeAreRefusedInOneLine() {
        assertRefused("box_refinment", "true", "unknown tracker parameter 'box_refinment'; known: search_area_scale, "
                + "sample_memory_size, ");
        assertRefused("label_sigma_cells", "1", "unknown tracker parameter 'label_sigma_cells'"); // in rdf.yaml, not read
        assertRefused("box_refinement", "yes", "the tracker parameter box_refinement must be true or false, not 'yes'");
        assertRefused("box_refinement", 1, "the tracker parameter box_refinement must be true or false, not '1'");
        assertRefused("sample_memory_size", "2.5", "the tracker parameter sample_memory_size must be a whole number, not '2.5'");
        assertRefused("search_area_scale", "four", "the tracker parameter search_area_scale must be a number, not 'four'");
        assertRefused("search_area_scale", "NaN", "the tracker parameter search_area_scale must be a number, not 'NaN'");
        assertRefused("search_area_scale", true, "the tracker parameter search_area_scale must be a number, not 'true'");
        assertRefused("crop_size", "256", "the tracker parameter crop_size is fixed by the network's crop geometry");
        assertRefused("init_augmentation_rotations", "10", "the tracker parameter init_augmentation_rotations is a list");
    }

    @Test
    void valuesParseAsTheKindTheEngineReads() {
        assertEquals(Boolean.FALSE, TrackerOverrides.value("box_refinement", "False"));
        assertEquals(12, TrackerOverrides.value("box_refinement_proposals", "+12"));
        assertEquals(12, TrackerOverrides.value("box_refinement_proposals", 12.0));
        assertEquals(0.001, TrackerOverrides.value("learning_rate", "1e-3"));
        assertEquals(0.5, TrackerOverrides.value("learning_rate", ".5"));
        assertEquals(3.0, TrackerOverrides.value("learning_rate", 3));
    }

    private void assertRefused(String key, Object value, String start) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> folder.withTrackerOverrides(Map.of(key, value)));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    /** The public fields of the parameters, arrays as lists, in declaration order. */
    private static List<Object> fields(TrackerParams p) throws IllegalAccessException {
        List<Object> out = new ArrayList<>();
        for (Field f : TrackerParams.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Object v = f.get(p);
            out.add(v instanceof double[][] ? Arrays.deepToString((double[][]) v)
                    : v instanceof double[] ? Arrays.toString((double[]) v) : v);
        }
        return out;
    }

    @Test
    void pairsAsAUserWritesThemAndOneCanonicalTextPerSetOfValues() {
        Map<String, String> parsed = TrackerOverrides.parse(List.of("box_refinement_size_rate=0", " box_refinement = false "));
        assertEquals(List.of("box_refinement_size_rate", "box_refinement"), new ArrayList<>(parsed.keySet()), "the order given");
        assertEquals("false", parsed.get("box_refinement"));
        assertEquals("box_refinement=false,box_refinement_size_rate=0.0", TrackerOverrides.canonical(parsed));
        assertEquals(TrackerOverrides.canonical(Map.of("box_refinement_size_rate", 0, "box_refinement", "FALSE")),
                TrackerOverrides.canonical(parsed), "order and spelling of a value do not matter");
        assertEquals("", TrackerOverrides.canonical(Map.of()));
        assertEquals("the tracker parameter update_interval is given twice; give it once", assertThrows(
                IllegalArgumentException.class, () -> TrackerOverrides.parse(List.of("update_interval=1", "update_interval=2")))
                .getMessage());
        assertEquals("'=3' is not key=value; give a tracker parameter and its value, e.g. box_refinement_size_rate=0",
                assertThrows(IllegalArgumentException.class, () -> TrackerOverrides.parse(List.of("=3"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrackerOverrides.parse(List.of("crop_size=256")))
                .getMessage().contains("fixed by the network's crop geometry"));
    }
}
