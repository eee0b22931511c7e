package org.prdimp.fiji.command;

import java.awt.GraphicsEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import ij.IJ;
import ij.plugin.PlugIn;
import ij.text.TextWindow;

import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.engine.JnaCheck;
import org.prdimp.fiji.setup.Doctor;
import org.prdimp.fiji.setup.ModelLocator;

/**
 * Plugins > Tracking > PrDiMP > Check engine: what {@code ./prdimp doctor} prints (Java, DJL, libtorch,
 * devices, threads, the model and one real network call), preceded by the JNA found in Fiji, in a text
 * window (headless: the log).
 */
public final class CheckEngine implements PlugIn {
    public static final String TITLE = "PrDiMP engine check";

    @Override
    public void run(String arg) {
        IJ.showStatus("PrDiMP: checking the engine (loads libtorch and the model)...");
        String text = report();
        if (GraphicsEnvironment.isHeadless() || IJ.getInstance() == null) {
            IJ.log(text);
        } else {
            new TextWindow(TITLE, text, 760, 420);
        }
        IJ.showStatus("");
    }

    /** The JNA line and the doctor's report (its exit status as the last line). */
    public static String report() {
        if (!"false".equals(System.getProperty("ai.djl.offline"))) {
            System.setProperty("ai.djl.offline", "true"); // as the track command: nothing is downloaded
        }
        StringBuilder s = new StringBuilder();
        String jna = JnaCheck.version();
        String problem = JnaCheck.problem();
        s.append("jna:     ").append(jna == null ? "not found" : jna + " from " + JnaCheck.location())
                .append(problem == null ? "" : "; " + problem).append('\n');
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            try {
                code = Doctor.report(ModelLocator.bundled(), DeviceChoice.AUTO, out);
            } catch (LinkageError e) {
                out.println("engine:  FAILED: " + JnaCheck.diagnosis(e));
                code = 1;
            } catch (RuntimeException e) {
                out.println("engine:  FAILED: unexpected failure (" + e + "); report it with this text");
                code = 1;
            }
        }
        s.append(bytes.toString(StandardCharsets.UTF_8));
        s.append(code == 0 ? "result:  tracking can run" : "result:  tracking cannot run; see the FAILED line above");
        return s.toString();
    }
}
