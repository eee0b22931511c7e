package org.prdimp.fiji.command;

import java.io.IOException;
import java.io.InputStream;

import ij.IJ;
import ij.ImagePlus;
import ij.io.Opener;
import ij.plugin.PlugIn;

/**
 * File > Open Samples > PrDiMP Synthetic Nuclei: the bundled sample time-lapse (60 frames of 256 x 256,
 * 6 synthetic nuclei; see the sample's README in the jar), opened as a time-lapse (60 time points) with
 * a box around nucleus 1 on frame 1, ready for Plugins > Tracking > PrDiMP Track.
 */
public final class OpenSample implements PlugIn {
    public static final String RESOURCE = "/org/prdimp/fiji/sample/synthetic-nuclei.tif";
    public static final String TITLE = "synthetic-nuclei.tif";

    @Override
    public void run(String arg) {
        ImagePlus imp = open();
        if (imp == null) {
            IJ.error("PrDiMP sample", "the sample time-lapse is missing from the plugin jar; reinstall the plugin");
            return;
        }
        imp.show();
    }

    /** The sample as an image (not shown), or null when the jar lacks it. */
    public static ImagePlus open() {
        try (InputStream in = OpenSample.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return null;
            }
            ImagePlus imp = new Opener().openTiff(in, TITLE);
            if (imp == null) {
                return null;
            }
            int n = imp.getStackSize();
            imp.setDimensions(1, 1, n); // a time-lapse: its frames are time points
            imp.setOpenAsHyperStack(false);
            return imp;
        } catch (IOException e) {
            return null;
        }
    }
}
