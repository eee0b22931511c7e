package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libtorch for the running computer: the message where this platform's native jar is missing (in a
 * real JVM without it on the class path), the download switch, and the one-time unpacking message in
 * a real first run (DJL's cache pointed at an empty folder).
 */
class NativeLibsTest {
    @TempDir
    Path tmp;

    @Test
    void theMessageNamesThePlatformTheJarAndTheSwitch() {
        String p = NativeLibs.problem("osx-aarch64", List.of("linux-x86_64"), false, false);
        assertEquals("no libtorch for this computer (osx-aarch64, Fiji platform macos-arm64) is installed (only linux-x86_64 is"
                + " installed): put pytorch-native-cpu-2.7.1-osx-aarch64.jar into Fiji.app/jars/macos-arm64/ (the PrDiMP update site"
                + " and the macos-arm64 zip do), or start with -Dprdimp.allowDownload=true to let DJL download it once", p);
        assertTrue(NativeLibs.problem("osx-x86_64", List.of(), false, false).startsWith(
                "no CPU libtorch 2.7.1 exists for this computer (osx-x86_64; DJL publishes linux-x86_64, linux-aarch64,"));
        assertNull(NativeLibs.problem("win-x86_64", List.of("win-x86_64"), false, false));
        assertNull(NativeLibs.problem("win-x86_64", List.of(), true, false), "the download switch lets DJL fetch it");
        assertNull(NativeLibs.problem("win-x86_64", List.of(), false, true), "PYTORCH_LIBRARY_PATH names the user's libtorch");
        assertEquals("win64", NativeLibs.fijiPlatform("win-x86_64"));
    }

    @Test
    void withoutThisPlatformsNativeJarDoctorSaysWhatToInstall() throws Exception {
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Paths.get(e).getFileName().toString().startsWith("pytorch-native-cpu")) {
                cp.add(e);
            }
        }
        String[] r = doctor(String.join(File.pathSeparator, cp), Map.of("DJL_CACHE_DIR", tmp.toString()));
        String system = NativeLibs.systemClassifier();
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("engine:  FAILED: no libtorch for this computer (" + system + ", Fiji platform "
                + NativeLibs.fijiPlatform(system) + ") is installed (none is installed): put pytorch-native-cpu-2.7.1-" + system
                + ".jar into Fiji.app/jars/" + NativeLibs.fijiPlatform(system) + "/"), r[1]);
        assertFalse(r[1].contains("Exception"), r[1]);
        assertFalse(Files.exists(tmp.resolve("pytorch")), "nothing downloaded or unpacked");
    }

    @Test
    void theFirstRunSaysItUnpacksLibtorchOnceWithProgress() throws Exception {
        Path cache = tmp.resolve("djl-cache");
        String[] first = doctor(System.getProperty("java.class.path"), Map.of("DJL_CACHE_DIR", cache.toString()));
        assertEquals("0", first[0], first[1] + first[2]);
        String system = NativeLibs.systemClassifier();
        assertTrue(first[2].matches("(?s).*prdimp: unpacking libtorch \\(\\d+ MB\\) into " + java.util.regex.Pattern.quote(
                cache.resolve("pytorch").toString()) + ".*-cpu-" + system + " \\(once; later starts reuse it\\)\\.\\.\\..*"), first[2]);
        assertTrue(first[2].contains("prdimp: libtorch unpacked in "), first[2]);
        String[] second = doctor(System.getProperty("java.class.path"), Map.of("DJL_CACHE_DIR", cache.toString()));
        assertEquals("0", second[0], second[1] + second[2]);
        assertFalse(second[2].contains("unpacking"), "only the first run unpacks: " + second[2]);
        assertTrue(second[1].contains("offline: yes"), second[1]);
    }

    /** prdimp doctor in a fresh JVM: exit code, stdout, stderr. */
    private String[] doctor(String classPath, Map<String, String> env) throws Exception {
        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dprdimp.models.dir=" + TestPaths.models(), "-Dai.djl.pytorch.num_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", classPath, "org.prdimp.fiji.cli.Prdimp", "doctor");
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("DJL_OFFLINE");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("doctor timed out");
        }
        String[] r = {String.valueOf(p.exitValue()), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)};
        System.out.println("$ prdimp doctor\n" + r[1] + r[2] + "exit " + r[0]);
        return r;
    }
}
