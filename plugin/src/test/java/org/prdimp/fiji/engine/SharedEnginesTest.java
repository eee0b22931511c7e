package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    void aMissingModelIsOneClearLine(@TempDir Path tmp) {
        ModelException e = assertThrows(ModelException.class,
                () -> SharedEngines.open(tmp.resolve("none"), DeviceChoice.CPU, new ArrayList<>()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
