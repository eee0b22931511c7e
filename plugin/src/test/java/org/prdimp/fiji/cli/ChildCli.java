package org.prdimp.fiji.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.prdimp.fiji.engine.TestPaths;

/**
 * Runs the prdimp CLI in a new JVM (this test's class path, the options of the ./prdimp script), for
 * what cannot happen in-process: a file-size limit, a kill, a small heap, another libtorch cache.
 */
final class ChildCli {
    final int code;
    final String out;
    final String err;

    private ChildCli(int code, String out, String err) {
        this.code = code;
        this.out = out;
        this.err = err;
    }

    /** The java command line: JVM options, then the CLI arguments. */
    static List<String> command(List<String> jvm, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-Dprdimp.models.dir=" + TestPaths.models()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Prdimp.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs {@code cmd} (through bash when {@code shellPrefix} is given, e.g. "ulimit -f 2"). */
    static ChildCli run(String shellPrefix, Map<String, String> env, List<String> cmd) throws Exception {
        return run(shellPrefix, env, cmd, null);
    }

    /**
     * Runs {@code cmd}; when {@code killWhen} (may be null) matches the standard error so far, sends
     * SIGTERM to the process ({@link Process#destroy()}).
     */
    static ChildCli run(String shellPrefix, Map<String, String> env, List<String> cmd, Predicate<String> killWhen)
            throws Exception {
        List<String> full = cmd;
        if (shellPrefix != null) {
            StringBuilder sb = new StringBuilder(shellPrefix).append("; exec");
            for (String c : cmd) {
                sb.append(" '").append(c.replace("'", "'\\''")).append('\'');
            }
            full = List.of("bash", "-c", sb.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(full);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = pump(p.getInputStream(), out);
        Thread e = pump(p.getErrorStream(), err);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        boolean killed = false;
        while (p.isAlive() && System.nanoTime() < end) {
            if (killWhen != null && !killed && killWhen.test(text(err))) {
                p.destroy();
                killed = true;
            }
            p.waitFor(50, TimeUnit.MILLISECONDS);
        }
        if (p.isAlive()) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd) + "\n" + text(err));
        }
        o.join();
        e.join();
        ChildCli r = new ChildCli(p.exitValue(), text(out), text(err));
        System.out.println("$ [child] prdimp " + String.join(" ", cmd.subList(cmd.indexOf(Prdimp.class.getName()) + 1, cmd.size()))
                + "\n" + r.out + r.err + "exit " + r.code);
        return r;
    }

    private static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        t.start();
        return t;
    }
}
