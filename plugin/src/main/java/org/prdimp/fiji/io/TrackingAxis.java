package org.prdimp.fiji.io;

/** The stack dimension that is tracked through. */
public enum TrackingAxis {
    /** Along time frames (T). */
    TIME,
    /** Along z-slices (Z). */
    Z,
    /** Time if the image has more than one time frame, else z. */
    AUTO
}
