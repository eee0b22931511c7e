package org.prdimp.fiji.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.prdimp.fiji.engine.JnaCheck;

/**
 * {@code prdimp update-site OUT}: the update-site tree for the four platforms and a Fiji.app zip per
 * platform, checked file by file; then a Linux Fiji folder populated from the linux64 zip tracks with a
 * headless macro, with the TrackMate module in place. The command runs with this test's whole class
 * path (JUnit, the TrackMate stand-in, slf4j-simple, ImageJ...): none of those may reach the site.
 */
class UpdateSiteTest {
    /** DJL classifier -> the ImageJ updater's platform folder. */
    private static final Map<String, String> PLATFORMS = new LinkedHashMap<>();

    static {
        PLATFORMS.put("linux-x86_64", "linux64");
        PLATFORMS.put("linux-aarch64", "linux-arm64");
        PLATFORMS.put("osx-aarch64", "macos-arm64");
        PLATFORMS.put("win-x86_64", "win64");
    }

    /** Every jar the plugin needs in Fiji besides what Fiji has: each exactly once in the tree. */
    private static final List<String> NEEDED = List.of("plugins/prdimp_fiji-", "plugins/prdimp-fiji-trackmate-", "jars/api-",
            "jars/pytorch-engine-", "jars/pytorch-jni-", "jars/jna-");

    @TempDir
    Path tmp;

    @Test
    void siteAndZipsForFourPlatformsThenTracksFromALinuxFiji() throws Exception {
        Path natives = Paths.get("target", "natives").toAbsolutePath();
        assertEquals(4, Files.list(natives).count(), "the build copies the four native jars to " + natives);
        Path site = tmp.resolve("out/site");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        E2e.Run r = E2e.exec(List.of(java, "-Dprdimp.models.dir=" + E2e.root().resolve("models"), "-cp",
                System.getProperty("java.class.path"), "org.prdimp.fiji.cli.Prdimp", "update-site", site.toString(), "--natives",
                natives.toString()), new HashMap<>(), 300);
        assertEquals(0, r.code, r.out + r.err);

        List<String> files = FijiFolder.files(site);
        for (String needed : NEEDED) {
            assertEquals(1, files.stream().filter(f -> f.startsWith(needed) && f.endsWith(".jar")).count(), needed + " once: " + files);
        }
        for (Map.Entry<String, String> p : PLATFORMS.entrySet()) {
            List<String> in = files.stream().filter(f -> f.startsWith("jars/" + p.getValue() + "/")).collect(Collectors.toList());
            assertEquals(List.of("jars/" + p.getValue() + "/pytorch-native-cpu-2.7.1-" + p.getKey() + ".jar"), in,
                    "exactly one libtorch for " + p.getValue());
        }
        assertEquals(4, files.stream().filter(f -> f.contains("pytorch-native-cpu")).count(), "no libtorch outside jars/<platform>/");
        for (String f : files) {
            String name = f.substring(f.lastIndexOf('/') + 1);
            assertFalse(name.matches("(junit|opentest4j|apiguardian|slf4j|trackmate-api-shim|TrackMate|ij-|scijava|gson|snakeyaml"
                    + "|commons-).*"), "not for the update site (test, shim or Fiji's own): " + f);
            assertTrue(f.startsWith("jars/") || f.startsWith("plugins/") || f.startsWith("models/prdimp/"), f);
        }
        String jna = files.stream().filter(f -> f.matches("jars/jna-\\d.*\\.jar")).findFirst().orElseThrow();
        String jnaVersion = jna.replaceFirst("jars/jna-", "").replaceFirst("\\.jar$", "");
        assertTrue(JnaCheck.compare(jnaVersion, "5.14.0") >= 0, jna);
        String model = Files.isDirectory(E2e.root().resolve("models/default")) ? "default" : "compact-init";
        assertTrue(files.contains("models/prdimp/" + model + "/rdf.yaml") && files.contains("models/prdimp/" + model + "/tracker.pt"));
        assertFalse(files.stream().anyMatch(f -> f.contains("/golden/")), "no test tensors");

        // a zip per platform: the same files, with only that platform's libtorch, under Fiji.app/
        Path zips = tmp.resolve("out/site-zips");
        List<String> common = files.stream().filter(f -> !f.contains("pytorch-native-cpu")).collect(Collectors.toList());
        for (Map.Entry<String, String> p : PLATFORMS.entrySet()) {
            List<String> entries = new ArrayList<>();
            try (ZipFile z = new ZipFile(zips.resolve("PrDiMP-Fiji-" + p.getValue() + ".zip").toFile())) {
                for (ZipEntry e : Collections.list(z.entries())) {
                    assertTrue(e.getName().startsWith("Fiji.app/"), e.getName());
                    entries.add(e.getName().substring("Fiji.app/".length()));
                }
            }
            List<String> expected = new ArrayList<>(common);
            expected.add("jars/" + p.getValue() + "/pytorch-native-cpu-2.7.1-" + p.getKey() + ".jar");
            Collections.sort(expected);
            Collections.sort(entries);
            assertEquals(expected, entries, p.getValue() + " zip");
        }

        // a Linux Fiji populated from the linux64 zip: the TrackMate module is there and the command runs headless
        Path fiji = FijiFolder.make(tmp.resolve("Fiji.app"), null, true);
        unzip(zips.resolve("PrDiMP-Fiji-linux64.zip"), tmp);
        List<String> installed = FijiFolder.files(fiji);
        assertTrue(installed.stream().anyMatch(f -> f.matches("plugins/prdimp-fiji-trackmate-.*\\.jar")), installed.toString());
        E2e.Run run = FijiFolder.trackFromFiji(fiji, tmp, 5);
        assertEquals(0, run.code, run.out + run.err);
        assertEquals("5", E2e.printed(run.out, "rows"));
        assertTrue(run.out.contains(FijiFolder.bundledModelLine()), run.out);
    }

    private static void unzip(Path zip, Path into) throws Exception {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                Path target = into.resolve(e.getName().replace('/', File.separatorChar));
                Files.createDirectories(target.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
