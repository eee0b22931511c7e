package org.prdimp.fiji.command;

import java.nio.file.Path;

import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.engine.JnaCheck;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.TrackingEngine;

/**
 * Keeps the last engine open between runs of the command, so a batch macro loads the model once.
 * A run with another model or device replaces it.
 */
final class Engines {
    private static TrackingEngine engine;
    private static String key;

    private Engines() {
    }

    /** @param notes receives a note when the JNA on the class path is older than the tested one */
    static synchronized TrackingEngine get(Path model, DeviceChoice device, java.util.List<String> notes) throws ModelException {
        String k = model.toAbsolutePath().normalize() + "|" + device;
        if (engine != null && k.equals(key)) {
            return engine;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
        if (!java.awt.GraphicsEnvironment.isHeadless()) {
            // the one-time libtorch unpacking: its first and last line in the Log window, the progress in the status bar
            org.prdimp.fiji.engine.NativeLibs.setReporter(m -> {
                ij.IJ.showStatus(m);
                if (!m.contains("unpacking libtorch: ")) {
                    ij.IJ.log(m);
                }
            });
        }
        String jna = JnaCheck.problem();
        if (jna != null) {
            notes.add("note: " + jna);
        }
        try {
            engine = TrackingEngine.open(model, device);
        } catch (LinkageError e) {
            throw new ModelException(JnaCheck.diagnosis(e), e);
        }
        key = k;
        return engine;
    }
}
