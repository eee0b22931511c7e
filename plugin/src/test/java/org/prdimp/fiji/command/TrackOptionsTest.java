package org.prdimp.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.prdimp.fiji.options.OptionException;

/** Macro options: every bad key and value is one line naming the key and what is accepted; defaults when no output is named. */
class TrackOptionsTest {
    private static String error(String options) {
        return assertThrows(OptionException.class, () -> TrackOptions.fromMacro(options)).getMessage();
    }

    @Test
    void badKeysAndValuesNameTheKeyAndTheAcceptedValues() {
        assertEquals("axis=sideways is not accepted; axis is one of auto, time, z", error("axis=sideways"));
        assertEquals("device=tpu is not accepted; device is one of auto, cpu, gpu", error("device=tpu"));
        assertEquals("targets=bogus is not accepted; targets is one of auto, roi, roi_manager, boxes, roi_file",
                error("targets=bogus"));
        assertEquals("direction=up is not accepted; direction is one of both, forward, backward", error("direction=up"));
        assertTrue(error("last_frme=3").startsWith("unknown key 'last_frme' (did you mean last_frame?); the keys are targets,"),
                error("last_frme=3"));
        assertTrue(error("first_frame=abc").startsWith("first_frame=abc is not accepted; give a frame number from 1"),
                error("first_frame=abc"));
        assertTrue(error("first_frame=0").startsWith("first_frame=0 is not accepted"), "frames count from 1");
        assertTrue(error("channel=1.5").startsWith("channel=1.5 is not accepted"));
        assertTrue(error("overlay=yes").contains("overlay is a switch"));
        assertTrue(error("boxes").contains("boxes needs a value"));
        for (String e : new String[] {error("axis=sideways"), error("last_frme=3"), error("first_frame=abc")}) {
            assertFalse(e.contains("\n"), e);
        }
    }

    @Test
    void noOutputKeyMeansTheDocumentedDefaults() {
        TrackOptions d = TrackOptions.fromMacro("targets=boxes boxes=[1,2,3,4;5,6,7,8]");
        assertTrue(d.resultsTable && d.overlay, "results_table and overlay by default");
        assertFalse(d.saveCsv || d.roiManager || d.confidencePlot || d.annotatedStack);
        assertEquals("1,2,3,4;5,6,7,8", d.boxes);
        TrackOptions some = TrackOptions.fromMacro("save_csv");
        assertTrue(some.saveCsv);
        assertFalse(some.resultsTable || some.overlay, "a named output: the others left out are off (ImageJ's rule)");
        TrackOptions none = TrackOptions.fromMacro("");
        assertTrue(none.resultsTable && none.overlay);
        assertEquals(1, none.firstFrame);
        assertEquals(0, none.lastFrame);
        assertEquals("both", none.direction);
    }

    @Test
    void macroOptionsReplayOnlyWhatDiffersFromTheDefaults() {
        TrackOptions o = TrackOptions.fromMacro("targets=roi_manager last_frame=30 device=cpu model=[/a b/model] overlay");
        assertEquals("targets=roi_manager last_frame=30 model=[/a b/model] device=cpu overlay", o.macroOptions());
        TrackOptions again = TrackOptions.fromMacro(o.macroOptions());
        assertEquals(o.macroOptions(), again.macroOptions());
    }

    @Test
    void trackerParametersAreCheckedPairsRecordedOnlyWhenGiven() {
        assertEquals(Map.of(), TrackOptions.fromMacro("overlay").trackerOverrides(), "empty by default: none replaced");
        TrackOptions spaces = TrackOptions.fromMacro("tracker_parameters=[box_refinement_size_rate=0  learning_rate=0.01]");
        assertEquals(Map.of("box_refinement_size_rate", "0", "learning_rate", "0.01"), spaces.trackerOverrides());
        TrackOptions commas = TrackOptions.fromMacro("tracker_parameters=box_refinement_size_rate=0,box_refinement=false");
        assertEquals(Map.of("box_refinement_size_rate", "0", "box_refinement", "false"), commas.trackerOverrides());

        assertTrue(error("tracker_parameters=[no_such_key=1]").startsWith(
                "tracker_parameters: unknown tracker parameter 'no_such_key'; known: search_area_scale"));
        assertEquals("tracker_parameters: the tracker parameter box_refinement_size_rate must be a number, not 'abc'",
                error("tracker_parameters=[box_refinement_size_rate=abc]"));
        assertTrue(error("tracker_parameters=[box_refinement_size_rate]").startsWith(
                "tracker_parameters: 'box_refinement_size_rate' is not key=value"));
        assertEquals("tracker_parameters: the tracker parameter learning_rate is given twice; give it once",
                error("tracker_parameters=[learning_rate=0.1,learning_rate=0.2]"));
        assertTrue(error("tracker_parameters=[crop_size=300]").contains("fixed by the network's crop geometry"));
        assertFalse(error("tracker_parameters=[no_such_key=1]").contains("\n"));
        TrackOptions built = new TrackOptions();
        built.trackerParameters = "sample_memory_size=2.5";
        assertEquals("tracker_parameters: the tracker parameter sample_memory_size must be a whole number, not '2.5'",
                assertThrows(OptionException.class, built::trackerOverrides).getMessage(),
                "options built in code (the SciJava command) are checked too");

        assertFalse(TrackOptions.fromMacro("device=cpu overlay").macroOptions().contains("tracker_parameters"),
                "not recorded when empty");
        assertEquals("tracker_parameters=[box_refinement_size_rate=0  learning_rate=0.01] overlay",
                TrackOptions.fromMacro("tracker_parameters=[box_refinement_size_rate=0  learning_rate=0.01] overlay")
                        .macroOptions());
        assertEquals("tracker_parameters=box_refinement_size_rate=0 overlay",
                TrackOptions.fromMacro("overlay tracker_parameters=box_refinement_size_rate=0").macroOptions());
        assertEquals(spaces.trackerOverrides(), TrackOptions.fromMacro(spaces.macroOptions()).trackerOverrides(), "replays");
    }
}
