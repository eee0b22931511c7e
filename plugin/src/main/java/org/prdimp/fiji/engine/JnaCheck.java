package org.prdimp.fiji.engine;

import java.security.CodeSource;

/**
 * DJL loads native code through JNA; DJL 0.35 is built against JNA 5.17 and tested here with 5.14
 * (what pom-scijava 45 and a current Fiji ship). Older Fiji installations have JNA 4.x in
 * {@code jars/}: the CPU engine starts with it (seen with 4.5.2), but DJL's CUDA probing calls JNA 5
 * methods. This gives a note for an old JNA and, when DJL fails to link, names the JNA found and the fix.
 */
public final class JnaCheck {
    /** The oldest JNA the plugin is tested with. */
    public static final String TESTED = "5.14.0";

    private JnaCheck() {
    }

    /** JNA's version on the class path, or null when JNA is absent. */
    public static String version() {
        try {
            // the package-private constant interface com.sun.jna.Version (JNA 4 and 5); Native is not initialised
            Class<?> version = Class.forName("com.sun.jna.Version", true, JnaCheck.class.getClassLoader());
            java.lang.reflect.Field field = version.getField("VERSION");
            field.setAccessible(true);
            return String.valueOf(field.get(null));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** Where JNA was loaded from (a jar path), or "unknown". */
    public static String location() {
        try {
            CodeSource cs = Class.forName("com.sun.jna.Native", false, JnaCheck.class.getClassLoader())
                    .getProtectionDomain().getCodeSource();
            return cs == null ? "unknown" : cs.getLocation().getPath();
        } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
            return "unknown";
        }
    }

    /**
     * Every {@code jna*.jar} (JNA and jna-platform, any sub-folder) in a Fiji's {@code jars/} older than the
     * tested JNA, as "jars/NAME" paths; empty when there is none or no such folder.
     */
    public static java.util.List<String> oldJars(java.nio.file.Path fiji) {
        java.util.List<String> old = new java.util.ArrayList<>();
        java.nio.file.Path jars = fiji.resolve("jars");
        if (!java.nio.file.Files.isDirectory(jars)) {
            return old;
        }
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(jars, 3)) {
            s.filter(p -> p.getFileName().toString().matches("jna(-platform)?-\\d.*\\.jar")).sorted().forEach(p -> {
                String v = p.getFileName().toString().replaceFirst("^jna(-platform)?-", "").replaceFirst("\\.jar$", "");
                if (compare(v, TESTED) < 0) {
                    old.add(fiji.relativize(p).toString().replace('\\', '/'));
                }
            });
        } catch (java.io.IOException e) {
            // an unreadable jars/ folder: the loaded JNA is still checked
        }
        return old;
    }

    /** The Fiji folder this JVM runs from (scijava.app.directory, else ImageJ's ij.dir), or null. */
    static java.nio.file.Path fijiDir() {
        for (String property : new String[] {"scijava.app.directory", "ij.dir"}) {
            String dir = System.getProperty(property);
            if (dir != null && java.nio.file.Files.isDirectory(java.nio.file.Paths.get(dir, "jars"))) {
                return java.nio.file.Paths.get(dir);
            }
        }
        return null;
    }

    /** A note when JNA is missing or older than the tested one (loaded, or any jna*.jar in Fiji's jars/), else null. */
    public static String problem() {
        String loaded = loadedProblem();
        java.nio.file.Path fiji = fijiDir();
        java.util.List<String> old = fiji == null ? java.util.List.of() : oldJars(fiji);
        if (old.isEmpty()) {
            return loaded;
        }
        String jars = "Fiji's " + String.join(", ", old) + " " + (old.size() == 1 ? "is" : "are") + " older than JNA " + TESTED
                + ": remove " + (old.size() == 1 ? "it" : "them") + " (./prdimp install-fiji FIJI_DIR --replace-old-jna moves"
                + " them aside; the PrDiMP update site ships jna-" + TESTED + ".jar)";
        return loaded == null ? jars : loaded + "; " + jars;
    }

    private static String loadedProblem() {
        String v = version();
        if (v == null) {
            return "JNA (net.java.dev.jna:jna) is not on the class path, and DJL needs it; put jna-" + TESTED
                    + ".jar or newer into Fiji's jars/ folder (./prdimp install-fiji does) and restart Fiji";
        }
        return compare(v, TESTED) < 0 ? "JNA " + v + " (" + location() + ") is older than the tested " + TESTED
                + "; if PrDiMP Track fails to start (e.g. on a GPU), replace it with jna-" + TESTED
                + ".jar or newer (./prdimp install-fiji FIJI_DIR --replace-old-jna)" : null;
    }

    /** A message for a failure to link DJL (e.g. NoSuchMethodError in com.sun.jna.Native). */
    public static String diagnosis(LinkageError e) {
        String v = version();
        String base = "the PyTorch engine could not start (" + e + ")";
        if (v != null && compare(v, TESTED) < 0) {
            return base + "; " + tooOld(v);
        }
        return base + "; JNA " + v + " from " + location() + "; check that DJL's jars (api, pytorch-engine, pytorch-jni,"
                + " pytorch-native-cpu) in jars/ are all version 0.35.1 / 2.7.1 and that no other copy is installed";
    }

    private static String tooOld(String v) {
        return "Fiji's JNA " + v + " (" + location() + ") is older than DJL needs: replace it with jna-" + TESTED
                + ".jar or newer (./prdimp install-fiji FIJI_DIR --replace-old-jna does this, or Help > Update Fiji)"
                + " and restart Fiji";
    }

    /** Compares dotted version numbers (non-numeric parts count as 0). */
    public static int compare(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int u = i < x.length ? number(x[i]) : 0;
            int v = i < y.length ? number(y[i]) : 0;
            if (u != v) {
                return Integer.compare(u, v);
            }
        }
        return 0;
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s.trim().replaceAll("[^0-9].*$", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
