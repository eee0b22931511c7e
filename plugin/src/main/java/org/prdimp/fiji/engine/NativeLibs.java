package org.prdimp.fiji.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import ai.djl.util.Utils;

/**
 * libtorch for the running computer, before DJL opens it: which native jar (DJL's
 * {@code pytorch-native-cpu-2.7.1-CLASSIFIER.jar}) matches this OS and CPU, a clear message where none
 * is installed, DJL's offline mode (the default; {@code -Dprdimp.allowDownload=true} lets DJL download
 * libtorch itself), and the one-time "unpacking libtorch" message with progress while DJL copies the
 * libraries out of the jar into its cache folder.
 */
public final class NativeLibs {
    /** The libtorch version of DJL 0.35.1's pytorch-jni. */
    public static final String LIBTORCH = "2.7.1";
    /** The classifiers Maven Central has for pytorch-native-cpu 2.7.1. */
    public static final List<String> PUBLISHED = List.of("linux-x86_64", "linux-aarch64", "osx-aarch64", "win-x86_64");
    /** The switch that lets DJL download libtorch (off: offline). */
    public static final String ALLOW_DOWNLOAD = "prdimp.allowDownload";
    private static final String PROPERTIES = "native/lib/pytorch.properties";

    private static volatile Consumer<String> reporter = System.err::println;
    private static boolean checked;

    private NativeLibs() {
    }

    /** Where the unpacking message and its progress go (default: standard error). */
    public static void setReporter(Consumer<String> r) {
        reporter = r == null ? System.err::println : r;
    }

    /** DJL's name for this OS and CPU: linux-x86_64, osx-aarch64, win-x86_64, ... */
    public static String systemClassifier() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String prefix = os.startsWith("win") ? "win" : os.startsWith("mac") ? "osx" : os.startsWith("linux") ? "linux" : os;
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("amd64") || arch.equals("x64")) {
            arch = "x86_64";
        } else if (arch.equals("arm64")) {
            arch = "aarch64";
        }
        return prefix + "-" + arch;
    }

    /** The libtorch native jars on the class path: classifier -> the URL of its properties. */
    public static Map<String, URL> installed() {
        Map<String, URL> found = new LinkedHashMap<>();
        for (ClassLoader cl : new ClassLoader[] {Thread.currentThread().getContextClassLoader(), NativeLibs.class.getClassLoader()}) {
            if (cl == null) {
                continue;
            }
            try {
                Enumeration<URL> urls = cl.getResources(PROPERTIES);
                while (urls.hasMoreElements()) {
                    URL u = urls.nextElement();
                    Properties p = read(u);
                    if (p.getProperty("placeholder") == null && p.getProperty("classifier") != null) {
                        found.putIfAbsent(p.getProperty("classifier"), u);
                    }
                }
            } catch (IOException e) {
                // a class path that cannot be listed: DJL reports its own error
            }
        }
        return found;
    }

    /**
     * Null when libtorch can be opened here, else one line saying what is missing and what to do.
     *
     * @param system this computer's classifier
     * @param installed the classifiers of the native jars on the class path
     */
    static String problem(String system, java.util.Collection<String> installed, boolean allowDownload, boolean override) {
        if (override || installed.contains(system) || allowDownload) {
            return null;
        }
        String fiji = fijiPlatform(system);
        String found = installed.isEmpty() ? "none is installed" : "only " + String.join(", ", installed) + " is installed";
        if (!PUBLISHED.contains(system)) {
            return "no CPU libtorch " + LIBTORCH + " exists for this computer (" + system + "; DJL publishes " + String.join(", ", PUBLISHED)
                    + "); run Fiji on one of those, or point PYTORCH_LIBRARY_PATH at a libtorch " + LIBTORCH + " built for it";
        }
        return "no libtorch for this computer (" + system + ", Fiji platform " + fiji + ") is installed (" + found + "): put"
                + " pytorch-native-cpu-" + LIBTORCH + "-" + system + ".jar into Fiji.app/jars/" + fiji + "/ (the PrDiMP update"
                + " site and the " + fiji + " zip do), or start with -D" + ALLOW_DOWNLOAD + "=true to let DJL download it once";
    }

    /** The ImageJ updater's platform name for a DJL classifier. */
    public static String fijiPlatform(String classifier) {
        switch (classifier) {
            case "linux-x86_64":
                return "linux64";
            case "linux-aarch64":
                return "linux-arm64";
            case "osx-aarch64":
                return "macos-arm64";
            case "osx-x86_64":
                return "macos64";
            case "win-x86_64":
                return "win64";
            case "win-aarch64":
                return "win-arm64";
            default:
                return classifier;
        }
    }

    /**
     * Run before DJL's PyTorch engine is first created: sets offline mode, checks that this platform's
     * libtorch is installed, and reports the one-time unpacking with progress.
     *
     * @return a running progress report to {@link Unpacking#close()} once the engine is up (or null)
     */
    static synchronized Unpacking prepare() throws ModelException {
        boolean allow = Boolean.getBoolean(ALLOW_DOWNLOAD);
        if (allow) {
            System.setProperty("ai.djl.offline", "false");
        } else if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true"); // libtorch comes from the native jar, never a download
        }
        if (checked) {
            return null;
        }
        String system = systemClassifier();
        Map<String, URL> installed = installed();
        boolean override = System.getenv("PYTORCH_LIBRARY_PATH") != null;
        String problem = problem(system, installed.keySet(), allow, override);
        if (problem != null) {
            throw new ModelException(problem);
        }
        checked = true;
        URL props = installed.get(system);
        if (override || props == null) {
            return null;
        }
        Properties p = read(props);
        Path cache = Utils.getEngineCacheDir("pytorch");
        Path dir = cache.resolve(p.getProperty("version") + "-" + p.getProperty("flavor", "cpu") + "-" + system);
        if (Files.exists(dir.resolve(System.mapLibraryName("torch")))) {
            return null;
        }
        long total = unpackedSize(props, "pytorch/" + p.getProperty("flavor", "cpu") + "/" + system + "/", p.getProperty("libraries", ""));
        return new Unpacking(cache, dir, total);
    }

    /** The uncompressed size of the libraries listed in the properties, from the native jar (DJL 0.35: under pytorch/FLAVOR/CLASSIFIER/). */
    private static long unpackedSize(URL props, String folder, String libraries) {
        try {
            URLConnection c = props.openConnection();
            if (c instanceof JarURLConnection) {
                c.setUseCaches(false);
                try (JarFile jar = ((JarURLConnection) c).getJarFile()) {
                    long sum = 0;
                    for (String lib : libraries.split(",")) {
                        java.util.jar.JarEntry e = jar.getJarEntry(folder + lib.trim());
                        sum += e == null || e.getSize() < 0 ? 0 : e.getSize();
                    }
                    return sum;
                }
            }
        } catch (IOException e) {
            // size unknown: the message says so
        }
        return 0;
    }

    private static Properties read(URL u) {
        Properties p = new Properties();
        try (InputStream in = u.openStream()) {
            p.load(in);
        } catch (IOException e) {
            // an unreadable properties file counts as absent
        }
        return p;
    }

    /** The one-time report while DJL unpacks libtorch: a line first, then progress every 2 s, then done. */
    static final class Unpacking implements AutoCloseable {
        private final Thread watcher;
        private final long start = System.nanoTime();
        private final Path dir;
        private volatile boolean done;

        Unpacking(Path cache, Path dir, long total) {
            this.dir = dir;
            long mb = Math.round(total / 1e6);
            reporter.accept("prdimp: unpacking libtorch (" + (total > 0 ? mb + " MB" : "about 450 MB") + ") into " + dir
                    + " (once; later starts reuse it)...");
            watcher = new Thread(() -> {
                while (!done) {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!done && total > 0 && !Files.isDirectory(dir)) { // DJL moves the folder into place when done
                        long copied = sizeOfTemp(cache);
                        reporter.accept(String.format(Locale.ROOT, "prdimp: unpacking libtorch: %d of %d MB (%d %%)", copied / 1_000_000,
                                mb, Math.min(100, Math.round(100.0 * copied / total))));
                    }
                }
            }, "prdimp-unpack-progress");
            watcher.setDaemon(true);
            watcher.start();
        }

        /** DJL copies into cache/tmp*&#47; and then moves the folder into place. */
        private static long sizeOfTemp(Path cache) {
            long sum = 0;
            try (Stream<Path> s = Files.list(cache)) {
                for (Path tmp : (Iterable<Path>) s.filter(p -> p.getFileName().toString().startsWith("tmp"))::iterator) {
                    try (Stream<Path> files = Files.list(tmp)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            sum += Files.size(f);
                        }
                    } catch (IOException e) {
                        // moved into place meanwhile
                    }
                }
            } catch (IOException e) {
                // not there yet
            }
            return sum;
        }

        @Override
        public void close() {
            done = true;
            watcher.interrupt();
            if (Files.isDirectory(dir)) {
                reporter.accept(String.format(Locale.ROOT, "prdimp: libtorch unpacked in %.1f s", (System.nanoTime() - start) / 1e9));
            }
        }
    }
}
