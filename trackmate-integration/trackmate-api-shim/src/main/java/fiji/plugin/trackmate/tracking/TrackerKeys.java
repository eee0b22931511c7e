package fiji.plugin.trackmate.tracking;

/** Shim of TrackMate 8.0.0 {@code TrackerKeys}: the keys this module shares with TrackMate. */
public final class TrackerKeys {
    public static final String XML_ATTRIBUTE_TRACKER_NAME = "TRACKER_NAME";

    private TrackerKeys() {
    }
}
