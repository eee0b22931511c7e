package org.prdimp.fiji.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fiji command with a display: ImageJ under Xvfb with the plugin jar in its plugins folder, the
 * command chosen from its menu entry, the z-slices question answered, its dialog (direction, frames from 1,
 * tracker_parameters empty by default, then box_refinement_size_rate=0: every track keeps its size) confirmed, Check engine and the sample entry, screenshots written to
 * target/gui/, the overlay checked in the screen's pixels, and the recorded macro line replayed
 * ({@link GuiSession}). Needs Xvfb (apt-get install xvfb), or a display in DISPLAY; skipped otherwise.
 */
class GuiTest {
    @TempDir
    Path tmp;

    @Test
    void commandRunsFromItsDialogAndDrawsTheOverlay() throws Exception {
        Process xvfb = null;
        String display;
        String xvfbPath = onPath("Xvfb");
        if (xvfbPath != null) {
            int n = 90 + ThreadLocalRandom.current().nextInt(400);
            while (Files.exists(Paths.get("/tmp/.X11-unix/X" + n)) || Files.exists(Paths.get("/tmp/.X" + n + "-lock"))) {
                n++;
            }
            display = ":" + n;
            xvfb = new ProcessBuilder(xvfbPath, display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("xvfb.log").toFile()).start();
            Path socket = Paths.get("/tmp/.X11-unix/X" + n);
            for (int i = 0; i < 100 && !Files.exists(socket) && xvfb.isAlive(); i++) {
                Thread.sleep(100);
            }
            Assumptions.assumeTrue(Files.exists(socket), "GUI test skipped: Xvfb did not start ("
                    + Files.readString(tmp.resolve("xvfb.log")).trim() + ")");
        } else {
            display = System.getenv("DISPLAY");
            Assumptions.assumeTrue(display != null && !display.isEmpty(),
                    "GUI test skipped: no X server (install xvfb: apt-get install xvfb, or run with a DISPLAY)");
        }
        try {
            E2e.synthetic(tmp, "cells", "--preset", "fast", "--frames", "30", "--objects", "2", "--seed", "5");
            List<double[]> boxes = BatchMacrosTest.firstBoxes(E2e.truth(tmp.resolve("cells.csv")));
            Path fiji = Files.createDirectories(tmp.resolve("ImageJ"));
            Path plugins = Files.createDirectories(fiji.resolve("plugins"));
            // as ./prdimp install-fiji names it: ImageJ 1.x reads plugins.config only from jars with an underscore
            Files.copy(E2e.pluginJar(), plugins.resolve(E2e.pluginJar().getFileName().toString().replace("prdimp-fiji", "prdimp_fiji")));
            Path out = Files.createDirectories(Paths.get("target", "gui").toAbsolutePath());
            List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.awt.headless=false", "-Dplugins.dir=" + fiji, "-Dai.djl.offline=true",
                    "-Dai.djl.pytorch.num_threads=2", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                    "-Dprdimp.models.dir=" + E2e.root().resolve("models"),
                    "-cp", System.getProperty("java.class.path"), GuiSession.class.getName(),
                    tmp.resolve("cells.tif").toString(), out.toString(), box(boxes.get(0)), box(boxes.get(1))));
            Map<String, String> env = new HashMap<>();
            env.put("DISPLAY", display);
            E2e.Run r = E2e.exec(cmd, env, 600);
            assertTrue(r.out.contains("gui: all checks passed"), r.out + r.err);
            assertEquals(0, r.code, r.out + r.err);
            for (String shot : new String[] {"question.png", "dialog.png", "screenshot.png", "screen.png", "check-engine.png"}) {
                assertTrue(Files.size(out.resolve(shot)) > 1000, shot + " was not written");
            }
        } finally {
            if (xvfb != null) {
                xvfb.destroy();
            }
        }
    }

    private static String box(double[] b) {
        return b[0] + "," + b[1] + "," + b[2] + "," + b[3];
    }

    private static String onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Paths.get(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
