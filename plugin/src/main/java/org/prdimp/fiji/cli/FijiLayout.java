package org.prdimp.fiji.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.prdimp.fiji.setup.ModelLocator;

/**
 * Where each file of PrDiMP goes in a Fiji installation, shared by {@code update-site} (all platforms)
 * and {@code install-fiji} (this platform): the plugin jar and the TrackMate module in {@code plugins/},
 * DJL and JNA in {@code jars/}, each platform's libtorch native jar in {@code jars/<platform>/} (the
 * ImageJ updater marks a file under {@code jars/<platform>/} as that platform's and installs it only
 * there), the model in {@code models/prdimp/<name>/}. Libraries Fiji itself ships (ImageJ, SciJava,
 * ij1-patcher, gson, snakeyaml, commons-*, SLF4J) are left out, so the update site never shadows Fiji's.
 */
final class FijiLayout {
    /** DJL's libtorch classifier -> the ImageJ updater's platform name. */
    static final Map<String, String> PLATFORMS = new LinkedHashMap<>();

    static {
        PLATFORMS.put("linux-x86_64", "linux64");
        PLATFORMS.put("linux-aarch64", "linux-arm64");
        PLATFORMS.put("osx-aarch64", "macos-arm64");
        PLATFORMS.put("win-x86_64", "win64");
    }

    /** The plugin's Maven artifact, its TrackMate module, DJL's native jars. */
    static final String PLUGIN = "prdimp-fiji";
    static final String TRACKMATE = "prdimp-fiji-trackmate";
    static final String NATIVE = "pytorch-native-cpu";
    /** What the update site ships in jars/ besides the plugin: DJL and the tested JNA. */
    static final Set<String> SHIPPED = Set.of("api", "pytorch-engine", "pytorch-jni", "jna");
    /** Never shipped: what every Fiji has (pom-scijava 45 versions), test libraries, the TrackMate stand-in. */
    static final Set<String> NEVER = Set.of("ij", "slf4j-simple", "slf4j-api", "scijava-common", "parsington", "ij1-patcher",
            "javassist", "classgraph", "gson", "snakeyaml", "commons-compress", "commons-io", "commons-codec",
            "trackmate-api-shim", "junit-jupiter-api", "junit-jupiter-engine", "junit-jupiter-params", "junit-platform-engine",
            "junit-platform-commons", "opentest4j", "apiguardian-api");
    /** Where the models go inside Fiji (ModelLocator looks there). */
    static final String MODELS = ModelLocator.IN_FIJI;

    private static final Pattern VERSIONED = Pattern.compile("(.+?)-(\\d[^/]*)\\.jar");
    private static final Pattern NATIVE_JAR = Pattern.compile("pytorch-native-cpu-[0-9.]+-(.+)\\.jar");

    /** One file to place: its source and its path inside Fiji.app ('/'-separated). */
    static final class Entry {
        final Path source;
        final String target;

        Entry(Path source, String target) {
            this.source = source;
            this.target = target;
        }

        @Override
        public String toString() {
            return target;
        }
    }

    /** The jars the layout needs, sorted out of a class path. */
    static final class Jars {
        Path plugin;
        Path trackmate;
        final List<Path> libraries = new ArrayList<>();
        /** DJL classifier -> native jar. */
        final Map<String, Path> natives = new LinkedHashMap<>();
    }

    private FijiLayout() {
    }

    /** Sorts the jars of a class path (the running one: java.class.path) into plugin, TrackMate module, libraries, natives. */
    static Jars fromClassPath(String classPath) {
        Jars j = new Jars();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path jar = Paths.get(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
                continue;
            }
            addJar(j, jar);
        }
        return j;
    }

    static void addJar(Jars j, Path jar) {
        String artifact = artifactOf(jar);
        Matcher nat = NATIVE_JAR.matcher(jar.getFileName().toString());
        if (artifact.equals(PLUGIN)) {
            j.plugin = jar;
        } else if (artifact.equals(TRACKMATE)) {
            j.trackmate = jar;
        } else if (nat.matches()) {
            j.natives.put(nat.group(1), jar);
        } else if (SHIPPED.contains(artifact) && !NEVER.contains(artifact)) {
            j.libraries.add(jar);
        }
    }

    /** The native jars of a folder (pytorch-native-cpu-V-CLASSIFIER.jar), e.g. plugin/target/natives. */
    static Map<String, Path> nativesIn(Path dir) throws IOException {
        Map<String, Path> found = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().collect(Collectors.toList())) {
                Matcher m = NATIVE_JAR.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.put(m.group(1), p);
                }
            }
        }
        return found;
    }

    /**
     * Every file, for the given platforms (Fiji names; all four for an update site, one for a zip or an
     * install). {@code trackmate} may be null (not installed).
     */
    static List<Entry> entries(Jars jars, Path model, List<String> platforms, boolean withTrackmate) throws IOException {
        List<Entry> e = new ArrayList<>();
        e.add(new Entry(jars.plugin, "plugins/" + pluginsName(jars.plugin)));
        if (withTrackmate && jars.trackmate != null) {
            e.add(new Entry(jars.trackmate, "plugins/" + jars.trackmate.getFileName()));
        }
        for (Path lib : jars.libraries) {
            e.add(new Entry(lib, "jars/" + lib.getFileName()));
        }
        for (Map.Entry<String, String> p : PLATFORMS.entrySet()) {
            Path nat = jars.natives.get(p.getKey());
            if (platforms.contains(p.getValue()) && nat != null) {
                e.add(new Entry(nat, "jars/" + p.getValue() + "/" + nat.getFileName()));
            }
        }
        e.addAll(modelEntries(model));
        return e;
    }

    /** The model folder's files (without test tensors) under models/prdimp/NAME/. */
    static List<Entry> modelEntries(Path model) throws IOException {
        List<Entry> e = new ArrayList<>();
        String base = MODELS + "/" + model.getFileName() + "/";
        try (Stream<Path> s = Files.walk(model)) {
            for (Path p : s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).collect(Collectors.toList())) {
                String rel = model.relativize(p).toString().replace(File.separatorChar, '/');
                if (rel.toLowerCase(Locale.ROOT).startsWith("golden")) {
                    continue; // test tensors, not needed to track
                }
                e.add(new Entry(p, base + rel));
            }
        }
        return e;
    }

    /** The Fiji platform name of the running JVM (the updater's names), or null when PrDiMP has no libtorch for it. */
    static String currentPlatform() {
        return PLATFORMS.get(org.prdimp.fiji.engine.NativeLibs.systemClassifier());
    }

    /**
     * The plugin jar's name in plugins/: ImageJ 1.x reads the plugins.config of jars in plugins/ only when
     * their name has an underscore, so prdimp-fiji-V.jar becomes prdimp_fiji-V.jar.
     */
    static String pluginsName(Path jar) {
        return jar.getFileName().toString().replaceFirst("^prdimp-fiji", "prdimp_fiji");
    }

    /** The Maven artifactId of a jar: from its place in a Maven repository, else from NAME-VERSION.jar. */
    static String artifactOf(Path jar) {
        Path version = jar.getParent();
        Path artifact = version == null ? null : version.getParent();
        if (artifact != null && jar.getFileName().toString().startsWith(artifact.getFileName() + "-" + version.getFileName())) {
            return artifact.getFileName().toString();
        }
        Matcher m = VERSIONED.matcher(jar.getFileName().toString());
        return m.matches() ? m.group(1) : jar.getFileName().toString().replaceFirst("\\.jar$", "");
    }

    static String versionOf(Path jar) {
        Matcher m = VERSIONED.matcher(jar.getFileName().toString());
        return m.matches() ? m.group(2) : "0";
    }
}
