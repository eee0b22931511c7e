package org.prdimp.fiji.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Fiji-like folder for the install tests: {@code jars/} holds what every Fiji ships (the pom-scijava 45
 * versions this build resolves: ImageJ, SciJava, ij1-patcher, gson, snakeyaml, commons-*, SLF4J), and
 * optionally a {@code jars/TrackMate-8.0.0.jar} (our compile-time stand-in, under the name Fiji gives
 * TrackMate: install-fiji recognises TrackMate by that name).
 */
final class FijiFolder {
    static final List<String> IN_FIJI = List.of("ij", "ij1-patcher", "javassist", "classgraph", "scijava-common",
            "parsington", "gson", "snakeyaml", "slf4j-api", "commons-compress", "commons-io", "commons-codec");

    private FijiFolder() {
    }

    /** Makes FIJI/jars and FIJI/plugins with Fiji's own libraries; JNA under the given name (null: none). */
    static Path make(Path fiji, String jnaName, boolean trackmate) throws Exception {
        Path jars = Files.createDirectories(fiji.resolve("jars"));
        Files.createDirectories(fiji.resolve("plugins"));
        for (Path p : testClassPath()) {
            String artifact = p.getParent().getParent().getFileName().toString();
            if (IN_FIJI.contains(artifact)) {
                Files.copy(p, jars.resolve(p.getFileName()));
            } else if (artifact.equals("jna") && jnaName != null) {
                Files.copy(p, jars.resolve(jnaName));
            } else if (artifact.equals("trackmate-api-shim") || p.getFileName().toString().startsWith("trackmate-api-shim")) {
                if (trackmate) {
                    Files.copy(p, jars.resolve("TrackMate-8.0.0.jar"));
                }
            }
        }
        return fiji;
    }

    /** The jars of this test's class path. */
    static List<Path> testClassPath() {
        List<Path> jars = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.endsWith(".jar")) {
                jars.add(Paths.get(e));
            }
        }
        return jars;
    }

    /** Runs "PrDiMP Track" by a headless macro with only the Fiji folder on the class path (jars/, jars/linux64/, plugins/). */
    static E2e.Run trackFromFiji(Path fiji, Path tmp, int frames) throws Exception {
        E2e.synthetic(tmp, "cells", "--preset", "fast", "--frames", String.valueOf(frames), "--objects", "1", "--seed", "6");
        double[] b = BatchMacrosTest.firstBoxes(E2e.truth(tmp.resolve("cells.csv"))).get(0);
        String macro = E2e.write(tmp, "in-fiji.ijm", "open(getArgument());\nmakeRectangle(" + b[0] + "," + b[1] + "," + b[2]
                + "," + b[3] + ");\nrun(\"PrDiMP Track\", \"targets=roi device=cpu results_table\");\nprint(\"rows=\" + nResults);\n");
        String sep = File.separator;
        String cp = String.join(File.pathSeparator, fiji.resolve("jars") + sep + "*", fiji.resolve("jars/linux64") + sep + "*",
                fiji.resolve("plugins") + sep + "*");
        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Djava.awt.headless=true", "-Dscijava.app.directory=" + fiji,
                "-Dai.djl.pytorch.num_threads=2", "-cp", cp, "org.prdimp.fiji.cli.Prdimp", "macro", macro,
                tmp.resolve("cells.tif").toString());
        return E2e.exec(cmd, new HashMap<>(), 300);
    }

    /** Every file under a folder, as '/'-separated relative paths, sorted. */
    /** The "engine: model NAME" line part of the bundled model (models/default, else compact-init): its rdf.yaml name. */
    static String bundledModelLine() throws Exception {
        Path models = E2e.root().resolve("models");
        Path folder = Files.isDirectory(models.resolve("default")) ? models.resolve("default") : models.resolve("compact-init");
        for (String line : Files.readAllLines(folder.resolve("rdf.yaml"))) {
            if (line.startsWith("name: ")) {
                return "engine: model " + line.substring("name: ".length()).trim();
            }
        }
        throw new IllegalStateException(folder + "/rdf.yaml has no name");
    }

    static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace(File.separatorChar, '/')).sorted()
                    .collect(Collectors.toList());
        }
    }
}
