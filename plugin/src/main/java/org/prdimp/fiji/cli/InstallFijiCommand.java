package org.prdimp.fiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.prdimp.fiji.engine.JnaCheck;
import org.prdimp.fiji.setup.ModelLocator;

/**
 * {@code prdimp install-fiji [FIJI_DIR] [--replace-old-jna]}: installs the plugin into a Fiji
 * installation with the layout of the update site ({@link FijiLayout}) for this computer's platform:
 * the plugin jar into {@code plugins/}, the TrackMate module too when that Fiji has TrackMate, DJL into
 * {@code jars/}, this platform's libtorch into {@code jars/<platform>/}, the bundled model (the trained
 * default where the repository has it) into {@code models/prdimp/}, where {@link ModelLocator} finds it.
 * Libraries Fiji already has are left as they are; every {@code jna*.jar} older than the tested JNA is
 * reported, and moved to {@code prdimp-replaced/} with {@code --replace-old-jna}. FIJI_DIR defaults to
 * the {@code scijava.app.directory} property.
 */
final class InstallFijiCommand {
    private InstallFijiCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        String dir = null;
        boolean replaceJna = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--replace-old-jna")) {
                replaceJna = true;
            } else if (args[i].startsWith("--") || dir != null) {
                throw new UsageException("install-fiji takes the Fiji folder and --replace-old-jna only: prdimp install-fiji FIJI_DIR");
            } else {
                dir = args[i];
            }
        }
        if (dir == null) {
            dir = System.getProperty("scijava.app.directory");
        }
        if (dir == null) {
            throw new UsageException("install-fiji needs the Fiji folder (the one holding jars/ and plugins/): prdimp install-fiji"
                    + " FIJI_DIR, or -Dscijava.app.directory=FIJI_DIR in PRDIMP_JAVA_OPTS");
        }
        Path fiji = Paths.get(dir);
        if (!Files.isDirectory(fiji.resolve("jars")) || !Files.isDirectory(fiji.resolve("plugins"))) {
            throw new UsageException(fiji + " is not a Fiji installation (it needs jars/ and plugins/ folders); give the"
                    + " folder of Fiji.app");
        }
        FijiLayout.Jars jars = FijiLayout.fromClassPath(System.getProperty("java.class.path"));
        checkPluginJar(jars);
        String system = org.prdimp.fiji.engine.NativeLibs.systemClassifier();
        String platform = FijiLayout.currentPlatform();
        if (platform == null || !jars.natives.containsKey(system)) {
            throw new UsageException("no libtorch for this computer (" + system + ") on the class path; PrDiMP ships libtorch for "
                    + String.join(", ", FijiLayout.PLATFORMS.keySet()) + " (./prdimp builds with this computer's)");
        }
        Path model = bundledModel();
        try {
            Path jarsDir = fiji.resolve("jars");
            List<Path> present = jarsIn(jarsDir);
            boolean trackmate = hasTrackMate(fiji);
            List<String> kept = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            boolean jnaOk = replaceOldJna(fiji, present, replaceJna, out, err, kept);
            int copied = 0;
            for (FijiLayout.Entry e : FijiLayout.entries(jars, model, List.of(platform), trackmate)) {
                if (e.target.startsWith(FijiLayout.MODELS + "/")) {
                    continue; // the model is copied as a whole below
                }
                String artifact = FijiLayout.artifactOf(e.source);
                if (e.target.startsWith("jars/") && !e.target.startsWith("jars/" + platform + "/")) {
                    List<Path> same = named(present, artifact);
                    if (artifact.equals("jna") ? jnaOk : !same.isEmpty()) {
                        same.forEach(p -> kept.add(p.getFileName().toString()));
                        continue;
                    }
                }
                removeEarlier(fiji, artifact, e.target, out);
                Path target = fiji.resolve(e.target);
                Files.createDirectories(target.getParent());
                Files.copy(e.source, target, StandardCopyOption.REPLACE_EXISTING);
                out.println(e.target);
                copied++;
            }
            Path modelTarget = fiji.resolve(FijiLayout.MODELS).resolve(model.getFileName());
            UpdateSiteCommand.deleteTree(modelTarget);
            for (FijiLayout.Entry e : FijiLayout.modelEntries(model)) {
                Path target = fiji.resolve(e.target);
                Files.createDirectories(target.getParent());
                Files.copy(e.source, target, StandardCopyOption.REPLACE_EXISTING);
            }
            out.println(FijiLayout.MODELS + "/" + model.getFileName() + "/");
            if (!trackmate) {
                notes.add("this Fiji has no TrackMate (jars/TrackMate-*.jar): the TrackMate module is not installed; add TrackMate"
                        + " and run install-fiji again");
            } else if (jars.trackmate == null) {
                notes.add("the TrackMate module's jar is not built (./prdimp install-fiji builds it): not installed");
            }
            out.println("installed PrDiMP into " + fiji + " for " + platform + ": " + copied + " file(s) and the model "
                    + model.getFileName() + (kept.isEmpty() ? "" : "; kept Fiji's " + String.join(", ", kept)));
            notes.forEach(n -> out.println("note: " + n));
            out.println("restart Fiji, then use Plugins > Tracking > PrDiMP Track");
            return 0;
        } catch (IOException e) {
            err.println("prdimp: error: cannot write into " + fiji + " (" + e + "); check that the folder is writable");
            return 1;
        }
    }

    /**
     * Every jna*.jar of jars/ older than the tested JNA: a warning, or moved aside with --replace-old-jna.
     *
     * @return true when a JNA at least as new as the tested one stays in jars/
     */
    private static boolean replaceOldJna(Path fiji, List<Path> present, boolean replace, PrintStream out, PrintStream err,
            List<String> kept) throws IOException {
        boolean ok = false;
        for (Path jar : new ArrayList<>(present)) {
            String artifact = FijiLayout.artifactOf(jar);
            if (!artifact.equals("jna") && !artifact.equals("jna-platform")) {
                continue;
            }
            String version = FijiLayout.versionOf(jar);
            if (JnaCheck.compare(version, JnaCheck.TESTED) >= 0) {
                ok |= artifact.equals("jna");
                continue;
            }
            if (!replace) {
                err.println("prdimp: warning: Fiji's " + fiji.relativize(jar) + " is older than JNA " + JnaCheck.TESTED
                        + ", the oldest tested with DJL 0.35 (the CPU engine starts with 4.5.2, CUDA probing needs"
                        + " JNA 5); run again with --replace-old-jna to replace it (or update Fiji)");
                kept.add(jar.getFileName().toString());
                ok |= artifact.equals("jna"); // kept: ours is not added next to it
                continue;
            }
            Path aside = fiji.resolve("prdimp-replaced");
            Files.createDirectories(aside);
            Files.move(jar, aside.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            present.remove(jar);
            out.println("moved " + fiji.relativize(jar) + " to prdimp-replaced/ (too old for DJL)");
        }
        return ok;
    }

    /** Earlier copies of a file PrDiMP installs (another version, or the old flat layout) move out of the way. */
    private static void removeEarlier(Path fiji, String artifact, String target, PrintStream out) throws IOException {
        List<String> names = List.of(artifact, artifact.replace('-', '_'));
        for (String folder : new String[] {"jars", "plugins"}) {
            for (Path p : jarsIn(fiji.resolve(folder))) {
                String rel = fiji.relativize(p).toString().replace('\\', '/');
                if (names.contains(FijiLayout.artifactOf(p)) && !rel.equals(target)) {
                    Files.delete(p);
                    out.println("removed the earlier " + rel);
                }
            }
        }
    }

    /** Whether Fiji has TrackMate (jars/TrackMate-V.jar, as Fiji ships it; or a plugins/TrackMate_ jar). */
    static boolean hasTrackMate(Path fiji) throws IOException {
        for (String folder : new String[] {"jars", "plugins"}) {
            for (Path p : jarsIn(fiji.resolve(folder))) {
                if (p.getFileName().toString().matches("(?i)trackmate[-_][0-9].*\\.jar|(?i)trackmate_\\.jar")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The bundled model folder, which must exist. */
    static Path bundledModel() throws UsageException {
        Path model = ModelLocator.bundled();
        if (!Files.isRegularFile(model.resolve("rdf.yaml"))) {
            throw new UsageException("the bundled model " + model + " is missing; run this from the repository (./prdimp install-fiji)");
        }
        return model;
    }

    /** The plugin must run from its jar (the jar is what gets installed). */
    static void checkPluginJar(FijiLayout.Jars jars) throws UsageException {
        try {
            Path p = Paths.get(InstallFijiCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(p) || !p.toString().endsWith(".jar")) {
                throw new UsageException("the plugin runs from " + p + ", not from its jar; build it first (./prdimp builds"
                        + " plugin/target/prdimp-fiji-*.jar)");
            }
            jars.plugin = p;
        } catch (URISyntaxException | SecurityException e) {
            throw new UsageException("cannot find the plugin jar (" + e.getMessage() + ")");
        }
    }

    static String pluginsName(Path jar) {
        return FijiLayout.pluginsName(jar);
    }

    private static List<Path> named(List<Path> jars, String artifact) {
        return jars.stream().filter(p -> FijiLayout.artifactOf(p).equals(artifact)).collect(Collectors.toList());
    }

    private static List<Path> jarsIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new ArrayList<>();
        }
        try (Stream<Path> s = Files.walk(dir, 3)) {
            return s.filter(p -> p.toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().collect(Collectors.toList());
        }
    }
}
