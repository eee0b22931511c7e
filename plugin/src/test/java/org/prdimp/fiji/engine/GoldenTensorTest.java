package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every TorchScript method called from Java through DJL (libtorch 2.7.1) reproduces the outputs
 * PyTorch 1.13 computed in Python and stored with the model (golden/manifest.json, tolerance
 * relative 1e-3 / absolute 1e-4). refine_boxes is called twice: with 5 boxes and 3 steps (pooling
 * and the fully connected layers at every step) and with the tracker's 10 and 10 (mapped once per
 * window).
 */
class GoldenTensorTest {

    @Test
    void compactModelReproducesPythonOutputs() throws Exception {
        Path folder = TestPaths.models().resolve("compact-init");
        double worst = replay(ModelFolder.open(folder), folder.resolve("golden"));
        System.out.printf("compact-init: largest absolute difference to Python %.3g%n", worst);
    }

    @Test
    void convertedOfficialLayoutModelReproducesPythonOutputs(@TempDir Path tmp) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-m", "prdimp.convert.testmodels", tmp.toString())
                .directory(TestPaths.models().toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "model generation timed out");
        assertEquals(0, p.exitValue(), "python3 -m prdimp.convert.testmodels failed:\n" + log);
        ModelFolder model = ModelFolder.open(tmp.resolve("prdimp18-random"));
        assertEquals("resnet18", model.variant());
        double worst = replay(model, TestPaths.models().resolve("testdata/prdimp18-random/golden"));
        System.out.printf("prdimp18-random: largest absolute difference to Python %.3g%n", worst);
    }

    static double replay(ModelFolder folder, Path golden) throws Exception {
        JsonObject manifest;
        try (Reader r = Files.newBufferedReader(golden.resolve("manifest.json"))) {
            manifest = JsonParser.parseReader(r).getAsJsonObject();
        }
        double rtol = manifest.getAsJsonObject("tolerance").get("relative").getAsDouble();
        double atol = manifest.getAsJsonObject("tolerance").get("absolute").getAsDouble();
        double worst = 0;
        Set<String> methods = new HashSet<>();
        try (TrackerNetwork net = TrackerNetwork.load(folder, Device.cpu());
             NDManager m = net.manager().newSubManager()) {
            for (JsonElement e : manifest.getAsJsonArray("calls")) {
                JsonObject call = e.getAsJsonObject();
                String method = call.get("method").getAsString();
                List<NDArray> inputs = new ArrayList<>();
                for (JsonElement in : call.getAsJsonArray("inputs")) {
                    Npy npy = Npy.read(golden.resolve(in.getAsJsonObject().get("file").getAsString()));
                    inputs.add(in.getAsJsonObject().get("int").getAsBoolean()
                            ? m.create((long) npy.data[0])
                            : m.create(npy.data, new Shape(npy.shape)));
                }
                NDList out = net.call(method, method.equals("refine_boxes"), inputs.toArray(new NDArray[0]));
                JsonArray expected = call.getAsJsonArray("outputs");
                assertEquals(expected.size(), out.size(), method + ": number of outputs");
                for (int i = 0; i < expected.size(); i++) {
                    Npy want = Npy.read(golden.resolve(expected.get(i).getAsJsonObject().get("file").getAsString()));
                    NDArray got = out.get(i);
                    assertArrayEquals(want.shape, got.getShape().getShape(), method + " output " + i + " shape");
                    float[] g = got.toFloatArray();
                    for (int k = 0; k < g.length; k++) {
                        double d = Math.abs(g[k] - want.data[k]);
                        worst = Math.max(worst, d);
                        if (d > atol + rtol * Math.abs(want.data[k])) {
                            throw new AssertionError(String.format("%s output %d element %d: Java %g, Python %g",
                                    method, i, k, g[k], want.data[k]));
                        }
                    }
                }
                methods.add(method);
            }
        }
        assertEquals(8, methods.size(), "all contract methods replayed: " + methods);
        return worst;
    }
}
