package fiji.plugin.trackmate.tracking;

/** Stand-in for TrackMate 8.0.0's {@code TrackerKeys}: the keys this module shares with TrackMate (compile-time constants). */
public class TrackerKeys {
    public static final String XML_ATTRIBUTE_TRACKER_NAME = "TRACKER_NAME";
}
