package org.prdimp.fiji.run;

import java.util.Locale;

import org.prdimp.fiji.options.OptionValues;

/** Which way tracking goes from a target's anchor frame. */
public enum Direction {
    /** Forward to the last frame and backward to the first. */
    BOTH,
    /** From the anchor to the last frame only. */
    FORWARD,
    /** From the anchor to the first frame only. */
    BACKWARD;

    /** The names accepted in options, in order. */
    public static final String[] NAMES = {"both", "forward", "backward"};

    /** @throws org.prdimp.fiji.options.OptionException naming the key and the accepted values */
    public static Direction parse(String key, String value) {
        return valueOf(OptionValues.oneOf(key, value, NAMES).toUpperCase(Locale.ROOT));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
