package org.prdimp.fiji.engine;

import java.util.Locale;

/** Where the network runs: the GPU when usable (auto), the CPU, or the GPU only (fails when unusable). */
public enum DeviceChoice {
    AUTO, CPU, GPU;

    /** Parses auto, cpu or gpu (any case). */
    public static DeviceChoice parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device '" + text + "' is not one of auto, cpu, gpu");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
