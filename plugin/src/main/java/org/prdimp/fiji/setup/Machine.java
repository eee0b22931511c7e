package org.prdimp.fiji.setup;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;

/**
 * What the figures were taken on: CPU model, cores, memory, Java, DJL, libtorch and its threads.
 * Nothing that names the machine or its folders (no host name, no paths). Public for the evaluation harness.
 */
public final class Machine {
    private Machine() {
    }

    public static void describe(Map<String, String> env, Engine engine, String device) {
        Runtime rt = Runtime.getRuntime();
        env.put("device", device);
        if (engine.hasCapability(StandardCapabilities.CUDA)) {
            env.put("CUDA", CudaUtils.getCudaVersionString() + ", " + CudaUtils.getGpuCount() + " GPU(s) visible");
        }
        env.put("CPU", cpuModel());
        env.put("cores available to Java", String.valueOf(rt.availableProcessors()));
        long memory = procValueKb(Paths.get("/proc/meminfo"), "MemTotal:");
        env.put("memory", memory > 0 ? (memory >> 10) + " MB" : "unknown");
        env.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + ManagementFactory.getRuntimeMXBean().getVmName() + ")");
        env.put("Java max heap", (rt.maxMemory() >> 20) + " MB");
        env.put("JVM memory options", memoryOptions());
        List<String> gcs = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.add(gc.getName());
        }
        env.put("garbage collectors", String.join(", ", gcs));
        env.put("DJL", Engine.getDjlVersion());
        env.put("libtorch", LibUtils.getVersion() + " (" + (engine.hasCapability(StandardCapabilities.CUDA) ? "CUDA" : "CPU")
                + " build)");
        env.put("libtorch threads", JniUtils.getNumThreads() + " intra-op, " + JniUtils.getNumInteropThreads() + " inter-op");
        env.put("OpenMP environment", openMpEnvironment());
        env.put("TorchScript graph optimiser", System.getProperty("ai.djl.pytorch.graph_optimizer", "true")
                + " (ai.djl.pytorch.graph_optimizer)");
    }

    /**
     * What the network ran on, in words: "GPU 0: NVIDIA H100 80GB HBM3 (compute capability 9.0, 79.2 GiB)" or
     * "CPU: model, N cores". The card's name comes from nvidia-smi where it can be run.
     */
    public static String measuredOn(Device device) {
        if (!device.isGpu()) {
            return "CPU: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        }
        int id = device.getDeviceId();
        String capability;
        long memory;
        try {
            capability = CudaUtils.getComputeCapability(id);
            memory = CudaUtils.getGpuMemory(device).getMax();
        } catch (RuntimeException | LinkageError e) {
            capability = null;
            memory = -1;
        }
        return gpuLine(id, nvidiaSmiName(id), capability, memory);
    }

    /** The GPU line of {@link #measuredOn}; null parts are said to be unknown. */
    public static String gpuLine(int id, String name, String capability, long memoryBytes) {
        List<String> facts = new ArrayList<>();
        if (capability != null && capability.length() >= 2) {
            facts.add("compute capability " + capability.substring(0, capability.length() - 1) + "."
                    + capability.substring(capability.length() - 1));
        }
        if (memoryBytes > 0) {
            facts.add(String.format(Locale.ROOT, "%.1f GiB", memoryBytes / (double) (1L << 30)));
        }
        return "GPU " + id + ": " + (name == null ? "card not named (nvidia-smi not found)" : name)
                + (facts.isEmpty() ? "" : " (" + String.join(", ", facts) + ")");
    }

    /** The GPU's name from {@code nvidia-smi}, or null. */
    private static String nvidiaSmiName(int id) {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name", "--format=csv,noheader", "-i", String.valueOf(id))
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroy();
                return null;
            }
            return p.exitValue() == 0 && !text.isEmpty() && !text.contains("\n") ? text : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** OMP_NUM_THREADS, OMP_WAIT_POLICY, GOMP_SPINCOUNT, KMP_BLOCKTIME where set: they change libtorch's threads. */
    public static String openMpEnvironment() {
        List<String> set = new ArrayList<>();
        for (String name : new String[] {"OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "KMP_BLOCKTIME"}) {
            String v = System.getenv(name);
            if (v != null) {
                set.add(name + "=" + v);
            }
        }
        return set.isEmpty() ? "none set" : String.join(" ", set);
    }

    /** The 1-minute load average from /proc/loadavg, or null: how busy the machine was. */
    public static String loadAverage() {
        try {
            return Files.readAllLines(Paths.get("/proc/loadavg"), StandardCharsets.UTF_8).get(0).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The JVM's heap and GC options (-Xms, -Xmx, -Xmn, -XX:+/-Use...GC, AlwaysPreTouch), nothing else. */
    public static String memoryOptions() {
        List<String> kept = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.matches("-Xm[sxn]\\d+[kKmMgG]?|-XX:[+-](Use\\w*GC|AlwaysPreTouch)|-XX:(Max|Initial)HeapSize=\\d+[kKmMgG]?")) {
                kept.add(a);
            }
        }
        return kept.isEmpty() ? "none (JVM defaults)" : String.join(" ", kept);
    }

    /** The CPU's model name from /proc/cpuinfo, else the architecture. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch") + " (model unknown)";
    }

    /** A "Name:   123 kB" value of a /proc file in kB; -1 when absent. */
    public static long procValueKb(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Resident set size of this process in MB (VmRSS), or -1. */
    public static double rssMb() {
        long kb = procValueKb(Paths.get("/proc/self/status"), "VmRSS:");
        return kb < 0 ? -1 : kb / 1024.0;
    }

    /** Peak resident set size of this process in MB (VmHWM), or -1. */
    public static double rssPeakMb() {
        long kb = procValueKb(Paths.get("/proc/self/status"), "VmHWM:");
        return kb < 0 ? -1 : kb / 1024.0;
    }
}
