package fiji.plugin.trackmate;

/** Shim of TrackMate 8.0.0 {@code Dimension}: the physical dimension of a feature (a subset of the constants). */
public enum Dimension {
    NONE, QUALITY, INTENSITY, POSITION, LENGTH, TIME, VELOCITY
}
