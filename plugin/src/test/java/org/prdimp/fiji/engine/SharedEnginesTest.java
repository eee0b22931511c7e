package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine is loaded once per model and device and stays usable while a run holds it. */
class SharedEnginesTest {
    private static final Path MODEL = TestPaths.models().resolve("compact-init");

    @Test
    void oneLoadPerModelAndDeviceAndAnEngineInUseStaysOpen() throws Exception {
        List<String> notes = new ArrayList<>();
        float[] pixels = new float[64 * 64];
        for (int i = 0; i < pixels.length; i++) {
            int x = i % 64;
            int y = i / 64;
            pixels[i] = (x - 25) * (x - 25) + (y - 25) * (y - 25) < 25 ? 1f : 0.1f; // a disc on a dim background
        }
        Frame frame = new Frame(64, 64, pixels);
        try (SharedEngines.Lease first = SharedEngines.open(MODEL, DeviceChoice.CPU, notes);
             SharedEngines.Lease again = SharedEngines.open(MODEL.resolve("..").resolve("compact-init"), DeviceChoice.CPU, notes)) {
            assertSame(first.engine(), again.engine(), "the same folder and device: the engine loaded once");
            try (SharedEngines.Lease other = SharedEngines.open(MODEL, DeviceChoice.AUTO, notes)) {
                assertNotSame(first.engine(), other.engine(), "another device: another engine");
                // the first engine is retired but still in use: it still tracks
                try (MultiTargetTracker t = first.engine().newTracker(1)) {
                    assertEquals(1, t.addTargets(frame, 0, List.of(new Box(20, 20, 10, 10))).size());
                }
            }
        }
        try (SharedEngines.Lease back = SharedEngines.open(MODEL, DeviceChoice.AUTO, notes)) {
            try (MultiTargetTracker t = back.engine().newTracker(1)) {
                assertEquals(1, t.addTargets(frame, 0, List.of(new Box(20, 20, 10, 10))).size());
            }
        }
        assertTrue(notes.isEmpty(), "the tested JNA: no note, " + notes);
    }

    @Test
    void runsThatReplaceTrackerParametersNeverShareAnEngineWithRunsThatDoNot() throws Exception {
        List<String> notes = new ArrayList<>();
        try (SharedEngines.Lease plain = SharedEngines.open(MODEL, DeviceChoice.CPU, notes);
             SharedEngines.Lease refined = SharedEngines.open(MODEL, Map.of("box_refinement", "true"), DeviceChoice.CPU, notes);
             SharedEngines.Lease same = SharedEngines.open(MODEL, Map.of("box_refinement", "TRUE"), DeviceChoice.CPU, notes);
             SharedEngines.Lease plainAgain = SharedEngines.open(MODEL, Map.of(), DeviceChoice.CPU, notes)) {
            assertNotSame(plain.engine(), refined.engine(), "overrides: an engine of their own");
            assertSame(refined.engine(), same.engine(), "the same overrides, written otherwise: the same engine");
            assertNotSame(refined.engine(), plainAgain.engine(), "no overrides: not the engine of a run with them");
            try (MultiTargetTracker p = plain.engine().newTracker(1);
                 MultiTargetTracker r = refined.engine().newTracker(1);
                 MultiTargetTracker q = plainAgain.engine().newTracker(1)) {
                assertFalse(p.params().boxRefinement, "the folder's own value, unchanged by the run with overrides");
                assertTrue(r.params().boxRefinement, "the replaced value");
                assertFalse(q.params().boxRefinement, "the folder's own value again");
            }
            assertTrue(refined.engine().summary().contains("tracker parameters replaced: box_refinement=true"),
                    refined.engine().summary());
            assertFalse(plainAgain.engine().summary().contains("replaced"), plainAgain.engine().summary());
        }
        ModelException e = assertThrows(ModelException.class, () -> SharedEngines.open(MODEL,
                Map.of("box_refinement", "maybe"), DeviceChoice.CPU, notes));
        assertEquals("the tracker parameter box_refinement must be true or false, not 'maybe'", e.getMessage());
    }

    @Test
    void aMissingModelIsOneClearLine(@TempDir Path tmp) {
        ModelException e = assertThrows(ModelException.class,
                () -> SharedEngines.open(tmp.resolve("none"), DeviceChoice.CPU, new ArrayList<>()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
