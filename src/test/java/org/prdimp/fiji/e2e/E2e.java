package org.prdimp.fiji.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Shared helpers of the end-to-end tests: repository paths, test stacks, headless macro runs in a fresh JVM. */
final class E2e {
    private E2e() {
    }

    static Path root() {
        String root = System.getProperty("prdimp.repo.root");
        Path p = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath().getParent().getParent();
        if (!Files.isDirectory(p.resolve("macros")) || !Files.isDirectory(p.resolve("models"))) {
            throw new IllegalStateException("cannot find the repository root (macros/, models/) from " + p);
        }
        return p;
    }

    static Path macro(String name) {
        return root().resolve("macros").resolve(name);
    }

    /** Writes a synthetic time-lapse STEM.tif and its ground truth STEM.csv with the project's generator. */
    static void synthetic(Path dir, String stem, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-m", "prdimp.procedural", dir.toString(), "--name", stem));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).directory(root().resolve("models").toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("python3 -m prdimp.procedural failed:\n" + log);
        }
    }

    /** Ground-truth boxes of a synthetic sequence: track id -> frame -> x,y,w,h. */
    static Map<Integer, Map<Integer, double[]>> truth(Path csv) throws IOException {
        Map<Integer, Map<Integer, double[]>> t = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            t.computeIfAbsent(Integer.parseInt(f[0]), k -> new HashMap<>()).put(Integer.parseInt(f[1]),
                    new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])});
        }
        return t;
    }

    /** A macro run's exit code and output. */
    static final class Run {
        final int code;
        final String out;
        final String err;

        Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }
    }

    /**
     * Runs {@code prdimp macro FILE ARG} in a new JVM with this test's class path (the plugin jar and
     * its dependencies), as the ./prdimp script does: headless ImageJ patched by ij1-patcher.
     */
    static Run macro(Path file, String arg) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Djava.awt.headless=true", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-Dprdimp.models.dir=" + root().resolve("models"),
                "-cp", System.getProperty("java.class.path"), "org.prdimp.fiji.cli.Prdimp", "macro", file.toString()));
        if (arg != null) {
            cmd.add(arg);
        }
        return exec(cmd, new HashMap<>(), 600);
    }

    static Run exec(List<String> cmd, Map<String, String> env, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("e2e-out", ".txt");
        Path err = Files.createTempFile("e2e-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            pb.environment().put("DJL_OFFLINE", "true");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd));
            }
            Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
            System.out.println("$ " + cmd.get(cmd.size() - (cmd.get(cmd.size() - 2).endsWith(".ijm") ? 2 : 1)) + "\n" + r.out
                    + r.err + "exit " + r.code);
            return r;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A CSV file as rows of named values (numbers; text columns keep their text). */
    static List<Map<String, String>> readCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length && i < f.length; i++) {
                row.put(header[i].trim(), f[i].trim());
            }
            rows.add(row);
        }
        return rows;
    }

    static double num(Map<String, String> row, String column) {
        String v = row.get(column);
        if (v == null) {
            throw new AssertionError("no column " + column + " in " + row.keySet());
        }
        return Double.parseDouble(v);
    }

    /** A value printed by a macro as "key=value" on its own line. */
    static String printed(String out, String key) {
        for (String line : out.split("\\R")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        throw new AssertionError("the macro printed no " + key + "=...; output:\n" + out);
    }

    /** The plugin jar on this test's class path (target/prdimp-fiji-*.jar or the local repository's). */
    static Path pluginJar() {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Paths.get(e);
            if (p.getFileName().toString().matches("prdimp-fiji-\\d.*\\.jar")) {
                return p;
            }
        }
        throw new AssertionError("the plugin jar is not on the class path; build it first (mvn -pl plugin install -DskipTests)");
    }

    static String write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }
}
