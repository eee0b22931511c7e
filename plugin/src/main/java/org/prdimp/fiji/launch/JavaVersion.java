package org.prdimp.fiji.launch;

/**
 * The Java check that runs before any class of PrDiMP that needs Java 11 is loaded. This package is
 * compiled to Java 8 bytecode (class version 52; see plugin/pom.xml), so an old Fiji running Java 8
 * gets this message instead of an {@code UnsupportedClassVersionError}.
 */
public final class JavaVersion {
    /** The Java the plugin is built for. */
    public static final int NEEDED = 11;

    private JavaVersion() {
    }

    /** The major version of a java.specification.version value: "1.8" is 8, "17" is 17. */
    public static int major(String specification) {
        if (specification == null) {
            return 0;
        }
        String s = specification.startsWith("1.") ? specification.substring(2) : specification;
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
    }

    /** Null on Java 11 or newer, else what to do, in one message. */
    public static String problem(String specification, String version, String home) {
        if (major(specification) >= NEEDED) {
            return null;
        }
        return "PrDiMP needs Java " + NEEDED + " or newer, and this Fiji runs Java " + version + " (" + home + "). Get the"
                + " current Fiji from https://fiji.sc (it comes with its own Java 21), install PrDiMP there (README: Install in"
                + " Fiji) and start that Fiji.";
    }

    /** The check for the running JVM. */
    public static String problem() {
        return problem(System.getProperty("java.specification.version"), System.getProperty("java.version"),
                System.getProperty("java.home"));
    }
}
