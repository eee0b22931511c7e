package org.prdimp.fiji.launch;

import ij.IJ;
import ij.plugin.PlugIn;

/**
 * The menu entry Plugins > Tracking > PrDiMP Track ({@code plugins.config}): Java 8 bytecode that
 * checks the Java version, then hands over to {@code org.prdimp.fiji.command.PrdimpTrack}, which is
 * only loaded on Java 11 or newer.
 */
public final class PrdimpTrackLauncher implements PlugIn {
    static final String COMMAND_CLASS = "org.prdimp.fiji.command.PrdimpTrack";

    @Override
    public void run(String arg) {
        String problem = JavaVersion.problem();
        if (problem != null) {
            IJ.error("PrDiMP Track", problem);
            return;
        }
        PlugIn command;
        try {
            command = (PlugIn) Class.forName(COMMAND_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            IJ.error("PrDiMP Track", "PrDiMP is not installed completely (" + e + "); install it again (README: Install in Fiji)");
            return;
        }
        command.run(arg); // the command's own errors (and macro aborts) pass through unchanged
    }
}
