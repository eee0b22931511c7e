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
 * SciJava, ij1-patcher, JNA, ...): only the missing libraries are added, this platform's libtorch goes to
 * jars/linux64/, the plugin to plugins/ (with the TrackMate module once that Fiji has TrackMate), the model
 * to models/prdimp/; an old JNA is reported and replaced on request; then a headless macro runs
 * "PrDiMP Track" from that installation alone (jars/*, jars/linux64/*, plugins/*, scijava.app.directory).
 */
class InstallFijiTest {
    @TempDir
    Path tmp;

    @Test
    void installsIntoFijiAndTracksFromThere() throws Exception {
        // JNA 5.14's jar under the old name stands for the JNA 4.5.2 of older Fiji installations
        Path fiji = FijiFolder.make(tmp.resolve("Fiji.app"), "jna-4.5.2.jar", false);
        Path jars = fiji.resolve("jars");
        List<String> runtime = new ArrayList<>();
        for (Path p : FijiFolder.testClassPath()) {
            if (!p.getFileName().toString().matches("(junit|opentest4j|apiguardian|slf4j-simple).*")) {
                runtime.add(p.toString()); // the plugin's runtime, the TrackMate module and its stand-in (never installed)
            }
        }
        String cp = String.join(File.pathSeparator, runtime);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

        E2e.Run first = E2e.exec(List.of(java, "-Dprdimp.models.dir=" + E2e.root().resolve("models"), "-cp", cp,
                "org.prdimp.fiji.cli.Prdimp", "install-fiji", fiji.toString()), new HashMap<>(), 120);
        assertEquals(0, first.code, first.err);
        assertTrue(first.err.contains("jars/jna-4.5.2.jar is older than JNA 5.14.0") && first.err.contains("--replace-old-jna"),
                first.err);
        List<String> installed = FijiFolder.files(fiji);
        for (String djl : new String[] {"jars/api-0.35.1.jar", "jars/pytorch-engine-0.35.1.jar", "jars/pytorch-jni-2.7.1-0.35.1.jar",
                "jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar"}) {
            assertTrue(installed.contains(djl), djl + " not installed: " + installed);
        }
        assertEquals(1, installed.stream().filter(n -> n.contains("pytorch-native-cpu")).count(), installed.toString());
        assertEquals(1, installed.stream().filter(n -> n.startsWith("jars/ij-")).count(), "Fiji's ImageJ is kept, not copied again");
        assertEquals(1, installed.stream().filter(n -> n.startsWith("jars/scijava-common-")).count());
        assertFalse(installed.stream().anyMatch(n -> n.contains("slf4j-simple") || n.contains("trackmate-api-shim")));
        List<String> plugins = list(fiji.resolve("plugins"));
        assertEquals(1, plugins.size(), "no TrackMate in this Fiji: the plugin only " + plugins);
        assertTrue(plugins.get(0).matches("prdimp_fiji-.*\\.jar"), plugins.toString());
        assertTrue(first.out.contains("note: this Fiji has no TrackMate"), first.out);
        // the bundled model: the trained default where the repository has it, else the untrained compact one
        String bundled = Files.isDirectory(E2e.root().resolve("models/default")) ? "default" : "compact-init";
        Path model = fiji.resolve("models/prdimp/" + bundled);
        assertTrue(Files.isRegularFile(model.resolve("rdf.yaml")) && Files.isRegularFile(model.resolve("tracker.pt")));
        assertFalse(Files.exists(model.resolve("golden")), "test tensors are not installed");

        // TrackMate added to that Fiji: the next install adds the TrackMate module, and replaces the old JNA on request
        Files.copy(runtime.stream().map(Paths::get).filter(p -> p.getFileName().toString().startsWith("trackmate-api-shim"))
                .findFirst().orElseThrow(), jars.resolve("TrackMate-8.0.0.jar"));
        E2e.Run second = E2e.exec(List.of(java, "-Dprdimp.models.dir=" + E2e.root().resolve("models"), "-cp", cp,
                "org.prdimp.fiji.cli.Prdimp", "install-fiji", fiji.toString(), "--replace-old-jna"), new HashMap<>(), 120);
        assertEquals(0, second.code, second.err);
        installed = list(jars);
        assertTrue(installed.contains("jna-5.14.0.jar") && !installed.contains("jna-4.5.2.jar"), installed.toString());
        assertTrue(Files.exists(fiji.resolve("prdimp-replaced/jna-4.5.2.jar")));
        plugins = list(fiji.resolve("plugins"));
        assertEquals(2, plugins.size(), plugins.toString());
        assertTrue(plugins.stream().anyMatch(n -> n.matches("prdimp-fiji-trackmate-.*\\.jar")), plugins.toString());

        // a headless macro with only the installation on the class path; the model found through scijava.app.directory
        E2e.Run run = FijiFolder.trackFromFiji(fiji, tmp, 6);
        assertEquals(0, run.code, run.out + run.err);
        assertEquals("6", E2e.printed(run.out, "rows"));
        assertTrue(run.out.contains(FijiFolder.bundledModelLine()), run.out);
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
