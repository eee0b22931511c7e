package org.prdimp.fiji.setup;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.prdimp.fiji.engine.NativeLibs;

/**
 * What a GPU run needs, for {@code prdimp doctor}: DJL 0.35.1's pytorch-jni 2.7.1 carries JNI code for
 * the CPU and for CUDA 12.8 ({@code cu128}) only, on linux-x86_64 and win-x86_64; so a GPU needs
 * libtorch 2.7.1 built for CUDA 12.8, named by PYTORCH_LIBRARY_PATH (its {@code lib} folder),
 * PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR=cu128, an NVIDIA driver, and on Linux the CUDA 12 runtime
 * ({@code libcudart.so.12}) on LD_LIBRARY_PATH, on Windows libtorch's {@code lib} on PATH.
 */
final class CudaCheck {
    static final String FLAVOR = "cu128";

    /** The report: lines to print, and what is missing (empty: all set). */
    static final class Report {
        final List<String> lines = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
    }

    private CudaCheck() {
    }

    static Report check(Map<String, String> env, String classifier) {
        Report r = new Report();
        boolean windows = classifier.startsWith("win");
        if (!classifier.equals("linux-x86_64") && !classifier.equals("win-x86_64")) {
            r.lines.add("no CUDA build of DJL's PyTorch JNI exists for " + classifier + " (only linux-x86_64 and win-x86_64): CPU only");
            r.missing.add("a linux-x86_64 or win-x86_64 computer");
            return r;
        }
        String lib = env.get("PYTORCH_LIBRARY_PATH");
        String torchCuda = windows ? "torch_cuda.dll" : "libtorch_cuda.so";
        if (lib == null || lib.isEmpty()) {
            r.lines.add("PYTORCH_LIBRARY_PATH  not set (the lib folder of libtorch " + NativeLibs.LIBTORCH + "+" + FLAVOR + ")");
            r.missing.add("PYTORCH_LIBRARY_PATH");
        } else if (!Files.isRegularFile(Paths.get(lib, torchCuda))) {
            r.lines.add("PYTORCH_LIBRARY_PATH  " + lib + " has no " + torchCuda + " (not a CUDA libtorch's lib folder)");
            r.missing.add("a CUDA libtorch in PYTORCH_LIBRARY_PATH");
        } else {
            r.lines.add("PYTORCH_LIBRARY_PATH  " + lib + " (has " + torchCuda + ")");
        }
        expect(r, env, "PYTORCH_VERSION", NativeLibs.LIBTORCH);
        expect(r, env, "PYTORCH_FLAVOR", FLAVOR);
        if (windows) {
            boolean onPath = lib != null && !lib.isEmpty() && pathHolds(env.get("PATH"), Paths.get(lib));
            r.lines.add("PATH                  " + (onPath ? "holds libtorch's lib" : "does not hold libtorch's lib folder (needed on Windows)"));
            if (!onPath) {
                r.missing.add("libtorch's lib on PATH");
            }
        } else {
            Path cudart = find(env.get("LD_LIBRARY_PATH"), "libcudart.so.12");
            if (cudart == null && lib != null && !lib.isEmpty() && Files.exists(Paths.get(lib, "libcudart.so.12"))) {
                cudart = Paths.get(lib, "libcudart.so.12");
            }
            r.lines.add("LD_LIBRARY_PATH       " + (cudart != null ? "libcudart.so.12 found: " + cudart
                    : "no libcudart.so.12 (the CUDA 12.8 runtime) in it"));
            if (cudart == null) {
                r.missing.add("libcudart.so.12 on LD_LIBRARY_PATH");
            }
        }
        boolean driver = windows ? Files.exists(Paths.get(env.getOrDefault("SystemRoot", "C:\\Windows"), "System32", "nvcuda.dll"))
                : Files.exists(Paths.get("/proc/driver/nvidia/version"));
        r.lines.add("NVIDIA driver         " + (driver ? "found" : "not found"));
        if (!driver) {
            r.missing.add("an NVIDIA driver");
        }
        return r;
    }

    private static void expect(Report r, Map<String, String> env, String name, String value) {
        String v = env.get(name);
        String pad = " ".repeat(Math.max(1, 22 - name.length()));
        if (value.equals(v)) {
            r.lines.add(name + pad + v);
        } else {
            r.lines.add(name + pad + (v == null ? "not set" : v) + " (must be " + value + ")");
            r.missing.add(name + "=" + value);
        }
    }

    private static boolean pathHolds(String path, Path dir) {
        if (path == null) {
            return false;
        }
        for (String p : path.split(File.pathSeparator)) {
            if (!p.isEmpty() && Paths.get(p).toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
                return true;
            }
        }
        return false;
    }

    private static Path find(String path, String file) {
        if (path == null) {
            return null;
        }
        for (String p : path.split(File.pathSeparator)) {
            if (!p.isEmpty() && Files.exists(Paths.get(p, file))) {
                return Paths.get(p, file);
            }
        }
        return null;
    }
}
