package org.prdimp.fiji.trackmate;

import java.util.Map;

import org.scijava.plugin.Plugin;

import fiji.plugin.trackmate.Model;
import fiji.plugin.trackmate.SpotCollection;
import fiji.plugin.trackmate.gui.components.ConfigurationPanel;
import fiji.plugin.trackmate.tracking.SpotImageTrackerFactory;
import fiji.plugin.trackmate.tracking.SpotTracker;
import fiji.plugin.trackmate.tracking.SpotTrackerFactory;
import ij.ImagePlus;

/**
 * TrackMate tracker "PrDiMP linker": links any detector's spots with PrDiMP's appearance model
 * (see {@link PrdimpLinker}). An image tracker: it reads the time-lapse the spots come from.
 */
@Plugin(type = SpotTrackerFactory.class)
public class PrdimpLinkerFactory extends SettingsFactoryBase implements SpotImageTrackerFactory {
    public static final String KEY = "PRDIMP_LINKER";
    public static final String NAME = "PrDiMP linker";
    static final String INFO_TEXT = "<html>Links spots with the PrDiMP deep tracker's appearance model (Danelljan et al.,"
            + " CVPR 2020).<p>Each track learns a PrDiMP model of its object, predicts where the object is in the next"
            + " frame (a probability map) and links to the most probable spot, when that probability reaches the"
            + " threshold. A track may skip up to <i>max frame gap</i> frames (gap closing). The edge feature"
            + " PRDIMP_LINK_PROBABILITY holds each link's probability; the edge cost is 1 - probability."
            + " No splitting or merging.</html>";

    /**
     * Default link threshold. Untrained compact model, spots at the true objects: on 5 procedural
     * nuclei over 30 frames, 0.05 gave 8 wrong links of 145 and 0.1 gave 3 of 143; on 10 GOWT1
     * nuclei over 8 frames (threshold 0) the true links scored 0.02-0.84, the false ones 0.02-0.05.
     */
    static final double DEFAULT_LINK_THRESHOLD = 0.1;

    static final SettingsSchema SCHEMA = PrdimpKeys.common(NAME)
            .add(PrdimpKeys.LINK_THRESHOLD, Double.class, DEFAULT_LINK_THRESHOLD, SettingsSchema.between(0, 1))
            .add(PrdimpKeys.MAX_FRAME_GAP, Integer.class, 2, SettingsSchema.atLeast(0));

    public PrdimpLinkerFactory() {
        super(SCHEMA, KEY, NAME, INFO_TEXT);
    }

    @Override
    public SpotTracker create(SpotCollection spots, Map<String, Object> settings, ImagePlus input) {
        return new PrdimpLinker(spots, settings, input, checkSettings(settings));
    }

    @Override
    public ConfigurationPanel getTrackerConfigurationPanel(Model model, ImagePlus imp) {
        return new PrdimpLinkerPanel();
    }
}
