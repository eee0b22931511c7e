package net.imagej.axis;

/** Shim of imagej-common 2.1.1 {@code Axes}: the standard axis types. */
public final class Axes {
    public static final AxisType X = type("X", true);
    public static final AxisType Y = type("Y", true);
    public static final AxisType Z = type("Z", true);
    public static final AxisType TIME = type("Time", false);
    public static final AxisType CHANNEL = type("Channel", false);

    private Axes() {
    }

    private static AxisType type(String label, boolean spatial) {
        return new AxisType() {
            @Override
            public String getLabel() {
                return label;
            }

            @Override
            public boolean isSpatial() {
                return spatial;
            }

            @Override
            public String toString() {
                return label;
            }
        };
    }
}
