package fiji.plugin.trackmate.detection;

/** Stand-in for TrackMate 8.0.0's {@code DetectorKeys}: the keys this module shares with TrackMate (compile-time constants). */
public class DetectorKeys {
    public static final String XML_ATTRIBUTE_DETECTOR_NAME = "DETECTOR_NAME";
    public static final String KEY_TARGET_CHANNEL = "TARGET_CHANNEL";
    public static final int DEFAULT_TARGET_CHANNEL = 1;
}
