package org.prdimp.fiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.prdimp.fiji.command.JnaCheck;

/**
 * {@code prdimp install-fiji [FIJI_DIR] [--replace-old-jna]}: installs the plugin into a Fiji
 * installation: the plugin jar into {@code plugins/}, every library it needs that Fiji lacks (DJL, the
 * libtorch natives jar, ...) into {@code jars/}, the bundled model into {@code models/prdimp/}. Libraries
 * Fiji already has (ImageJ, SciJava, ij1-patcher, snakeyaml, gson, JNA, ...) are left as they are; a
 * JNA older than the tested one is reported, and replaced with {@code --replace-old-jna} (the old jar
 * moves to {@code prdimp-replaced/}). FIJI_DIR defaults to the {@code scijava.app.directory} property.
 */
final class InstallFijiCommand {
    /** Never copied: Fiji has ImageJ 1.x and its own SLF4J binding. */
    private static final Set<String> NEVER = Set.of("ij", "slf4j-simple");
    private static final Pattern VERSIONED = Pattern.compile("(.+?)-(\\d[^/]*)\\.jar");

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
        Path pluginJar = pluginJar();
        Path model = ModelLocator.bundled();
        if (!Files.isRegularFile(model.resolve("rdf.yaml"))) {
            throw new UsageException("the bundled model " + model + " is missing; run this from the repository (./prdimp install-fiji)");
        }
        try {
            List<Path> present = jarsIn(fiji.resolve("jars"));
            int copied = 0;
            List<String> kept = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path jar = Paths.get(entry);
                if (!entry.endsWith(".jar") || !Files.isRegularFile(jar) || jar.equals(pluginJar)) {
                    continue;
                }
                String artifact = artifactOf(jar);
                if (NEVER.contains(artifact)) {
                    continue;
                }
                Path existing = find(present, artifact);
                if (existing != null) {
                    String version = versionOf(existing);
                    if (artifact.equals("jna") && JnaCheck.compare(version, JnaCheck.TESTED) < 0) {
                        if (!replaceJna) {
                            err.println("prdimp: warning: Fiji's " + fiji.relativize(existing) + " is older than JNA " + JnaCheck.TESTED
                                    + ", the oldest tested with DJL 0.35 (the CPU engine starts with 4.5.2, CUDA probing needs"
                                    + " JNA 5); run again with --replace-old-jna to replace it (or update Fiji)");
                            kept.add(existing.getFileName().toString());
                            continue;
                        }
                        Path aside = fiji.resolve("prdimp-replaced");
                        Files.createDirectories(aside);
                        Files.move(existing, aside.resolve(existing.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        out.println("moved " + fiji.relativize(existing) + " to prdimp-replaced/ (too old for DJL)");
                    } else {
                        kept.add(existing.getFileName().toString());
                        continue;
                    }
                }
                Files.copy(jar, fiji.resolve("jars").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                out.println("jars/" + jar.getFileName());
                copied++;
            }
            for (Path old : jarsIn(fiji.resolve("plugins"))) {
                String name = artifactOf(old);
                if (name.equals("prdimp-fiji") || name.equals("prdimp_fiji")) {
                    Files.delete(old);
                }
            }
            String installed = pluginsName(pluginJar);
            Files.copy(pluginJar, fiji.resolve("plugins").resolve(installed), StandardCopyOption.REPLACE_EXISTING);
            out.println("plugins/" + installed);
            Path modelTarget = fiji.resolve(ModelLocator.IN_FIJI).resolve(model.getFileName());
            copyTree(model, modelTarget);
            out.println(ModelLocator.IN_FIJI + "/" + model.getFileName() + "/");
            out.println("installed PrDiMP into " + fiji + ": the plugin, " + copied + " librar" + (copied == 1 ? "y" : "ies")
                    + " and the model; kept Fiji's " + String.join(", ", kept));
            out.println("restart Fiji, then use Plugins > Tracking > PrDiMP Track");
            return 0;
        } catch (IOException e) {
            err.println("prdimp: error: cannot write into " + fiji + " (" + e + "); check that the folder is writable");
            return 1;
        }
    }

    /**
     * The plugin jar's name in plugins/: ImageJ 1.x reads the plugins.config of jars in plugins/ only when
     * their name has an underscore, so prdimp-fiji-V.jar becomes prdimp_fiji-V.jar.
     */
    static String pluginsName(Path jar) {
        return jar.getFileName().toString().replaceFirst("^prdimp-fiji", "prdimp_fiji");
    }

    /** The jar this class was loaded from. */
    private static Path pluginJar() throws UsageException {
        try {
            Path p = Paths.get(InstallFijiCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(p) || !p.toString().endsWith(".jar")) {
                throw new UsageException("the plugin runs from " + p + ", not from its jar; build it first (./prdimp builds"
                        + " plugin/target/prdimp-fiji-*.jar)");
            }
            return p;
        } catch (URISyntaxException | SecurityException e) {
            throw new UsageException("cannot find the plugin jar (" + e.getMessage() + ")");
        }
    }

    private static List<Path> jarsIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new ArrayList<>();
        }
        try (Stream<Path> s = Files.walk(dir, 3)) {
            List<Path> jars = new ArrayList<>();
            s.filter(p -> p.toString().endsWith(".jar") && Files.isRegularFile(p)).forEach(jars::add);
            return jars;
        }
    }

    private static Path find(List<Path> jars, String artifact) {
        for (Path p : jars) {
            if (artifactOf(p).equals(artifact)) {
                return p;
            }
        }
        return null;
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

    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.isDirectory(to)) {
            try (Stream<Path> s = Files.walk(to)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path rel = from.relativize(p);
                if (rel.toString().toLowerCase(Locale.ROOT).startsWith("golden")) {
                    continue; // test tensors, not needed to track
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
