package fiji.plugin.trackmate.detection;

/** Shim of TrackMate 8.0.0 {@code DetectorKeys}: the keys this module shares with TrackMate. */
public final class DetectorKeys {
    public static final String XML_ATTRIBUTE_DETECTOR_NAME = "DETECTOR_NAME";
    public static final String KEY_TARGET_CHANNEL = "TARGET_CHANNEL";
    public static final int DEFAULT_TARGET_CHANNEL = 1;

    private DetectorKeys() {
    }
}
