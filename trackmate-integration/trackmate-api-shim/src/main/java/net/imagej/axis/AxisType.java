package net.imagej.axis;

/** Shim of imagej-common 2.1.1 {@code AxisType}: the methods this module uses. */
public interface AxisType {
    String getLabel();

    boolean isSpatial();
}
