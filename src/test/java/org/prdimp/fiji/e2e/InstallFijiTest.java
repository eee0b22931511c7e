package org.prdimp.fiji.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prdimp install-fiji} into a Fiji-like folder whose jars/ already holds what Fiji ships (ImageJ,
 * SciJava, ij1-patcher, JNA, ...): only the missing libraries are added, the plugin goes to plugins/,
 * the model to models/prdimp/; an old JNA is reported and replaced on request; then a headless macro
 * runs "PrDiMP Track" from that installation alone (jars/*, plugins/*, scijava.app.directory).
 */
class InstallFijiTest {
    /** What a Fiji installation already has in jars/ (pom-scijava 45 versions). */
    private static final List<String> IN_FIJI = List.of("ij", "ij1-patcher", "javassist", "classgraph", "scijava-common",
            "parsington", "gson", "snakeyaml", "slf4j-api");

    @TempDir
    Path tmp;

    @Test
    void installsIntoFijiAndTracksFromThere() throws Exception {
        Path fiji = tmp.resolve("Fiji.app");
        Path jars = Files.createDirectories(fiji.resolve("jars"));
        Files.createDirectories(fiji.resolve("plugins"));
        List<String> runtime = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Paths.get(e);
            String name = p.getFileName().toString();
            if (!name.endsWith(".jar") || name.matches("(junit|opentest4j|apiguardian|slf4j-simple).*")) {
                continue; // test libraries and class folders are not the plugin's runtime
            }
            runtime.add(e);
            String artifact = p.getParent().getParent().getFileName().toString();
            if (IN_FIJI.contains(artifact)) {
                Files.copy(p, jars.resolve(name));
            } else if (artifact.equals("jna")) {
                Files.copy(p, jars.resolve("jna-4.5.2.jar")); // stands for the old JNA of older Fiji installations
            }
        }
        String cp = String.join(File.pathSeparator, runtime);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

        E2e.Run first = E2e.exec(List.of(java, "-Dprdimp.models.dir=" + E2e.root().resolve("models"), "-cp", cp,
                "org.prdimp.fiji.cli.Prdimp", "install-fiji", fiji.toString()), new HashMap<>(), 120);
        assertEquals(0, first.code, first.err);
        assertTrue(first.err.contains("jars/jna-4.5.2.jar is older than JNA 5.14.0") && first.err.contains("--replace-old-jna"),
                first.err);
        List<String> installed = list(jars);
        for (String djl : new String[] {"api-0.35.1.jar", "pytorch-engine-0.35.1.jar", "pytorch-jni-2.7.1-0.35.1.jar",
                "pytorch-native-cpu-2.7.1-linux-x86_64.jar"}) {
            assertTrue(installed.contains(djl), djl + " not installed: " + installed);
        }
        assertEquals(1, installed.stream().filter(n -> n.startsWith("ij-")).count(), "Fiji's ImageJ is kept, not copied again");
        assertEquals(1, installed.stream().filter(n -> n.startsWith("scijava-common-")).count());
        assertFalse(installed.stream().anyMatch(n -> n.startsWith("slf4j-simple")));
        List<String> plugins = list(fiji.resolve("plugins"));
        assertEquals(1, plugins.size());
        assertTrue(plugins.get(0).matches("prdimp_fiji-.*\\.jar"), plugins.toString());
        // the bundled model: the trained default where the repository has it, else the untrained compact one
        String bundled = Files.isDirectory(E2e.root().resolve("models/default")) ? "default" : "compact-init";
        Path model = fiji.resolve("models/prdimp/" + bundled);
        assertTrue(Files.isRegularFile(model.resolve("rdf.yaml")) && Files.isRegularFile(model.resolve("tracker.pt")));
        assertFalse(Files.exists(model.resolve("golden")), "test tensors are not installed");

        E2e.Run second = E2e.exec(List.of(java, "-Dprdimp.models.dir=" + E2e.root().resolve("models"), "-cp", cp,
                "org.prdimp.fiji.cli.Prdimp", "install-fiji", fiji.toString(), "--replace-old-jna"), new HashMap<>(), 120);
        assertEquals(0, second.code, second.err);
        installed = list(jars);
        assertTrue(installed.contains("jna-5.14.0.jar") && !installed.contains("jna-4.5.2.jar"), installed.toString());
        assertTrue(Files.exists(fiji.resolve("prdimp-replaced/jna-4.5.2.jar")));

        // a headless macro with only the installation on the class path; the model found through scijava.app.directory
        E2e.synthetic(tmp, "cells", "--preset", "fast", "--frames", "6", "--objects", "1", "--seed", "6");
        double[] b = BatchMacrosTest.firstBoxes(E2e.truth(tmp.resolve("cells.csv"))).get(0);
        String macro = E2e.write(tmp, "in-fiji.ijm", "open(getArgument());\nmakeRectangle(" + b[0] + "," + b[1] + "," + b[2]
                + "," + b[3] + ");\nrun(\"PrDiMP Track\", \"targets=roi device=cpu results_table\");\nprint(\"rows=\" + nResults);\n");
        List<String> cmd = List.of(java, "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Djava.awt.headless=true",
                "-Dscijava.app.directory=" + fiji, "-Dai.djl.pytorch.num_threads=2",
                "-cp", fiji.resolve("jars") + File.separator + "*" + File.pathSeparator + fiji.resolve("plugins") + File.separator + "*",
                "org.prdimp.fiji.cli.Prdimp", "macro", macro, tmp.resolve("cells.tif").toString());
        E2e.Run run = E2e.exec(cmd, new HashMap<>(), 300);
        assertEquals(0, run.code, run.out + run.err);
        assertEquals("6", E2e.printed(run.out, "rows"));
        assertTrue(run.out.contains("engine: model PrDiMP compact"), run.out);
    }

    /**
     * With the JNA of older Fiji installations (4.5.2) instead of 5.14 on the class path, the CPU engine
     * still starts (checked here), and the command notes the old JNA, its jar and the fix.
     */
    @Test
    void oldJnaIsNoted() throws Exception {
        Path oldJna = Paths.get("target", "old-jna", "jna-4.5.2.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(oldJna), "the build copies JNA 4.5.2 to " + oldJna);
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            cp.add(Paths.get(e).getFileName().toString().startsWith("jna-") ? oldJna.toString() : e);
        }
        E2e.synthetic(tmp, "cells", "--preset", "fast", "--frames", "4", "--objects", "1", "--seed", "7");
        String macro = E2e.write(tmp, "jna.ijm", "open(getArgument());\nmakeRectangle(30, 40, 24, 20);\n"
                + "run(\"PrDiMP Track\", \"targets=roi device=cpu results_table\");\nprint(\"rows=\" + nResults);\n");
        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Djava.awt.headless=true",
                "-Dprdimp.models.dir=" + E2e.root().resolve("models"), "-cp", String.join(File.pathSeparator, cp),
                "org.prdimp.fiji.cli.Prdimp", "macro", macro, tmp.resolve("cells.tif").toString());
        E2e.Run r = E2e.exec(cmd, new HashMap<>(), 300);
        assertEquals(0, r.code, r.out + r.err);
        assertEquals("4", E2e.printed(r.out, "rows"));
        assertTrue(r.out.contains("note: JNA 4.5.2 (") && r.out.contains("jna-4.5.2.jar) is older than the tested 5.14.0")
                && r.out.contains("replace it with jna-5.14.0.jar or newer"), r.out);
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
