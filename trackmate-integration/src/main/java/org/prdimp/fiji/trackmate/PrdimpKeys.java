package org.prdimp.fiji.trackmate;

import org.prdimp.fiji.engine.DeviceChoice;

/** Settings keys of the PrDiMP detector and linker (for scripts), and the parameters both share. */
public final class PrdimpKeys {
    /** Model folder; empty: the bundled default model (models/default, else models/compact-init). */
    public static final String MODEL = "MODEL";
    /** auto, cpu or gpu. */
    public static final String DEVICE = "DEVICE";
    /** 1-based channel tracked in multi-channel images (TrackMate's own key). */
    public static final String TARGET_CHANNEL = "TARGET_CHANNEL";

    /** Detector: frame (0-based) in which the boxes were drawn. */
    public static final String INITIAL_FRAME = "INITIAL_FRAME";
    /** Detector: the initial boxes, "x,y,w,h;x,y,w,h;..." in pixels (top-left corner). */
    public static final String BOXES = "BOXES";
    /** Detector: spots whose confidence is below this are not emitted. */
    public static final String MIN_CONFIDENCE = "MIN_CONFIDENCE";
    /** Detector: spots whose positional uncertainty (pixels, larger of sigma x and y) exceeds this are not emitted; 0: no limit. */
    public static final String MAX_SIGMA = "MAX_SIGMA";

    /** Linker: smallest link probability that makes a link. */
    public static final String LINK_THRESHOLD = "LINK_THRESHOLD";
    /** Linker: frames a track may go without a link before it ends (gap closing). */
    public static final String MAX_FRAME_GAP = "MAX_FRAME_GAP";

    private PrdimpKeys() {
    }

    /** The model, device and channel parameters, in a new schema. */
    static SettingsSchema common(String owner) {
        return new SettingsSchema(owner)
                // any text: whether the folder exists is checked when detection or linking starts
                // (EngineSettings.modelProblem), so that settings saved on another machine still load
                .add(MODEL, String.class, "", null)
                .add(DEVICE, String.class, "auto", v -> {
                    try {
                        DeviceChoice.parse((String) v);
                        return null;
                    } catch (IllegalArgumentException e) {
                        return "is not a device; use auto, cpu or gpu";
                    }
                })
                .add(TARGET_CHANNEL, Integer.class, 1, SettingsSchema.atLeast(1));
    }
}
