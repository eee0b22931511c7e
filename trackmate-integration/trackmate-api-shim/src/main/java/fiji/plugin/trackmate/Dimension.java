package fiji.plugin.trackmate;

/** Stand-in for TrackMate 8.0.0's {@code Dimension}: the physical dimension of a feature (same constants, same order). */
public enum Dimension {
    NONE, QUALITY, COST, INTENSITY, INTENSITY_SQUARED, POSITION, VELOCITY, LENGTH, AREA, TIME, ANGLE, RATE, ANGLE_RATE, STRING
}
