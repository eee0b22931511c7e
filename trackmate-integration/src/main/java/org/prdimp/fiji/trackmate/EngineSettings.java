package org.prdimp.fiji.trackmate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.prdimp.fiji.setup.ModelLocator;
import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.SharedEngines;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.run.TrackingSession;

/** Opens the shared engine ({@link SharedEngines}) from a checked settings map (model, device); says which model it used. */
final class EngineSettings {
    private EngineSettings() {
    }

    static Path model(Map<String, Object> settings) {
        String m = ((String) settings.get(PrdimpKeys.MODEL)).trim();
        return m.isEmpty() ? ModelLocator.bundled() : Paths.get(m);
    }

    /**
     * Null when the model folder of the settings exists, else one line for the log: which folder
     * is missing and what to do (settings read from a TrackMate file saved on another machine).
     */
    static String modelProblem(Map<String, Object> settings, String owner) {
        String m = ((String) settings.get(PrdimpKeys.MODEL)).trim();
        if (m.isEmpty() || Files.isDirectory(Paths.get(m))) {
            return null;
        }
        return owner + ": the model folder " + m + " (MODEL) does not exist on this machine; choose a PrDiMP model folder"
                + " (with rdf.yaml) in the panel, or leave MODEL empty for the bundled model";
    }

    /**
     * The shared engine of the settings' model and device (loaded once per Fiji session, as for the
     * Fiji command); a JNA note, when there is one, goes to {@code log}.
     */
    static DeviceChoice device(Map<String, Object> settings) {
        return DeviceChoice.parse((String) settings.get(PrdimpKeys.DEVICE));
    }

    static SharedEngines.Lease open(Map<String, Object> settings, java.util.function.Consumer<String> log) throws ModelException {
        java.util.List<String> notes = new java.util.ArrayList<>();
        SharedEngines.Lease lease = SharedEngines.open(model(settings), device(settings), notes);
        notes.forEach(log);
        return lease;
    }

    /** Notes for the log from a session's: the engine, the untrained-model note and the device note, each when it applies. */
    static String notes(TrackingSession.Notes notes) {
        StringBuilder s = new StringBuilder(notes.engine);
        for (String n : new String[] {notes.model, notes.device}) {
            if (n != null) {
                s.append("; note: ").append(n);
            }
        }
        for (String jna : notes.jna) {
            s.append("; note: ").append(jna);
        }
        return s.toString();
    }

    /** Notes for the log: the untrained-model note and the device note, each when it applies. */
    static String notes(Map<String, Object> settings, TrackingEngine engine) {
        StringBuilder s = new StringBuilder(engine.summary());
        String untrained = ModelLocator.note(model(settings));
        if (untrained != null) {
            s.append("; note: ").append(untrained);
        }
        if (engine.deviceNote() != null) {
            s.append("; note: ").append(engine.deviceNote());
        }
        return s.toString();
    }
}
