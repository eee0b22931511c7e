package org.prdimp.fiji.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prdimp.fiji.cli.Prdimp;
import org.prdimp.fiji.engine.TestPaths;
import org.prdimp.fiji.setup.Machine;

/**
 * {@code prdimp bench --quick --no-r18} end to end: the report files are written and hold every
 * figure, in the Markdown as in the JSON, as a positive number. No timing is asserted.
 */
class BenchmarkTest {
    private static final List<String> FIGURES = List.of(
            "memory.peak_heap_mb", "memory.sampled_peak_mb", "memory.first_window_max_mb", "memory.last_window_max_mb",
            "memory.live_first_mb", "memory.live_end_mb", "memory.committed_first_mb", "memory.committed_last_mb",
            "memory.ms_per_frame",
            "compact.ms_mean", "compact.ms_median", "compact.fps", "compact.outside_model_pct",
            "compact.init_1_ms", "compact.init_20_ms",
            "batch.batched_target_fps", "batch.single_target_fps", "batch.speedup", "batch.ms_mean", "batch.outside_model_pct");

    @Test
    void gpuFiguresNameTheCard() {
        assertEquals("GPU 0: NVIDIA H100 80GB HBM3 (compute capability 9.0, 79.2 GiB)",
                Machine.gpuLine(0, "NVIDIA H100 80GB HBM3", "90", 85_040_070_656L));
        assertEquals("GPU 1: card not named (nvidia-smi not found) (compute capability 12.0)",
                Machine.gpuLine(1, null, "120", -1));
        Report r = new Report("t", null);
        r.measuredOn = Machine.gpuLine(0, "NVIDIA H200", "90", -1);
        assertTrue(r.markdown().startsWith("# t\n\n**GPU-measured** on GPU 0: NVIDIA H200 (compute capability 9.0): every"
                + " network call, and so every speed figure, ran on this card"), r.markdown());
        assertTrue(r.json().contains("\"gpu_measured\": true"), r.json());
    }

    @Test
    void quickBenchmarkWritesEveryFigure(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("results");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        String before = System.getProperty("prdimp.models.dir");
        System.setProperty("prdimp.models.dir", TestPaths.models().toString());
        int code;
        try (PrintStream o = new PrintStream(stdout, true, "UTF-8"); PrintStream e = new PrintStream(stderr, true, "UTF-8")) {
            code = Prdimp.run(new String[] {"bench", "--quick", "--no-r18", "--out", out.toString()}, o, e);
        } finally {
            if (before == null) {
                System.clearProperty("prdimp.models.dir");
            } else {
                System.setProperty("prdimp.models.dir", before);
            }
        }
        String printed = stdout.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertEquals(0, code, "bench failed: " + stderr.toString(StandardCharsets.UTF_8));

        List<Path> files;
        try (Stream<Path> list = Files.list(out)) {
            files = list.sorted().collect(Collectors.toList());
        }
        assertEquals(2, files.size(), "one .json and one .md: " + files);
        Path json = files.get(0);
        Path md = files.get(1);
        assertTrue(json.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}-cpu-quick\\.json"), json.toString());
        assertTrue(md.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}-cpu-quick\\.md"), md.toString());
        String markdown = Files.readString(md);
        JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        JsonObject figures = report.getAsJsonObject("figures");

        for (String key : FIGURES) {
            assertNotNull(figures.get(key), "figure " + key + " missing from the JSON");
        }
        for (Map.Entry<String, JsonElement> f : figures.entrySet()) {
            JsonObject fig = f.getValue().getAsJsonObject();
            double value = fig.get("value").getAsDouble();
            assertTrue(value > 0 && Double.isFinite(value), f.getKey() + " = " + value);
            String label = fig.get("label").getAsString();
            String row = markdown.lines().filter(l -> l.startsWith("| " + label + " | ")).findFirst().orElse(null);
            assertNotNull(row, "no Markdown line for " + label);
            double shown = Double.parseDouble(row.split("\\|")[2].trim().split(" ")[0]);
            assertEquals(value, shown, 1e-9, label);
            assertTrue(printed.contains(label + ": "), "not printed: " + label);
            if (fig.has("goal")) {
                String status = fig.get("status").getAsString();
                assertTrue(status.equals("PASS") || status.equals("MISS"), status);
                assertTrue(row.endsWith("| " + status + " |"), row);
            }
        }
        assertTrue(report.getAsJsonObject("tables").has("Where the frame time goes: compact model, single target"));
        assertTrue(report.getAsJsonObject("tables").has("Network cost per target by batch size: compact model"));
        assertTrue(markdown.contains("--no-r18"), "the report says that the ResNet-18 model was left out");
        // this machine has no GPU: the report says that no figure is GPU-measured, and on which CPU it ran
        String measured = "**CPU-measured** (CPU: " + Machine.cpuModel() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores): no figure in this report is GPU-measured.";
        assertEquals(measured, markdown.lines().skip(2).findFirst().orElse(""));
        assertEquals("CPU: " + Machine.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores",
                report.get("measured_on").getAsString());
        assertFalse(report.get("gpu_measured").getAsBoolean());
        assertTrue(printed.contains("bench: CPU-measured (CPU: "), "the console says it too");
        for (String machinePath : new String[] {tmp.toString(), System.getProperty("user.home"), TestPaths.repoRoot().toString()}) {
            assertFalse(markdown.contains(machinePath) || report.toString().contains(machinePath), "names " + machinePath);
        }
    }
}
