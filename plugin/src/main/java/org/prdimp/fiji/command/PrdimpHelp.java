package org.prdimp.fiji.command;

import ij.IJ;
import ij.plugin.PlugIn;

/** Plugins > Tracking > PrDiMP > PrDiMP Help: where the documentation is, and the two-line how-to. */
public final class PrdimpHelp implements PlugIn {
    /** The plugin's README, in the PrDiMP for Fiji sources. */
    public static final String README = "plugin/README.md";

    @Override
    public void run(String arg) {
        IJ.showMessage("PrDiMP for Fiji", text());
    }

    public static String text() {
        return "PrDiMP deep tracker for Fiji\n \n"
                + "1. Open a time-lapse (File > Open Samples > PrDiMP Synthetic Nuclei to try it).\n"
                + "2. Draw a rectangle (or any ROI) around a cell on any frame, or add one ROI per cell\n"
                + "    to the ROI Manager (press t), each on its own frame.\n"
                + "3. Plugins > Tracking > PrDiMP Track: each target is tracked from its frame forward\n"
                + "    and backward; results in the table 'PrDiMP tracks' and the overlay.\n"
                + "4. A track went wrong? Draw the right box on that frame, add it to the ROI Manager in the\n"
                + "    same group as the first ROI (or with the same name), run again: only that stretch is redone.\n \n"
                + "Plugins > Tracking > PrDiMP > Check engine shows what the engine runs on.\n"
                + "Every option, macro key and table column: " + README + " in the PrDiMP for Fiji sources;\n"
                + "batch macros: macros/README.md.";
    }
}
