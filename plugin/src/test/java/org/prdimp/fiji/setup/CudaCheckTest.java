package org.prdimp.fiji.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor's GPU section: what a CUDA run needs and which of it is missing (environments made here). */
class CudaCheckTest {
    @TempDir
    Path tmp;

    @Test
    void nothingSetNamesEveryVariable() {
        CudaCheck.Report r = CudaCheck.check(Map.of(), "linux-x86_64");
        assertTrue(r.missing.containsAll(List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION=2.7.1", "PYTORCH_FLAVOR=cu128",
                "libcudart.so.12 on LD_LIBRARY_PATH")), r.missing.toString());
        assertTrue(r.lines.get(0).startsWith("PYTORCH_LIBRARY_PATH  not set (the lib folder of libtorch 2.7.1+cu128)"), r.lines.toString());
    }

    @Test
    void aCudaLibtorchWithTheRuntimeOnTheLibraryPathLacksOnlyWhatIsMissing() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("libtorch/lib"));
        Files.createFile(lib.resolve("libtorch_cuda.so"));
        Path cuda = Files.createDirectories(tmp.resolve("cuda/lib64"));
        Files.createFile(cuda.resolve("libcudart.so.12"));
        Map<String, String> env = new HashMap<>(Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_VERSION", "2.7.1",
                "PYTORCH_FLAVOR", "cu126", "LD_LIBRARY_PATH", "/nowhere:" + cuda));
        CudaCheck.Report r = CudaCheck.check(env, "linux-x86_64");
        List<String> expected = Files.exists(Path.of("/proc/driver/nvidia/version")) ? List.of("PYTORCH_FLAVOR=cu128")
                : List.of("PYTORCH_FLAVOR=cu128", "an NVIDIA driver");
        assertEquals(expected, r.missing, r.lines.toString());
        assertTrue(r.lines.contains("PYTORCH_FLAVOR        cu126 (must be cu128)"), r.lines.toString());
        assertTrue(r.lines.contains("LD_LIBRARY_PATH       libcudart.so.12 found: " + cuda.resolve("libcudart.so.12")), r.lines.toString());
    }

    @Test
    void aCpuLibtorchFolderIsNotEnoughAndWindowsWantsItOnPath() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("libtorch-cpu/lib"));
        Map<String, String> env = Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_VERSION", "2.7.1", "PYTORCH_FLAVOR", "cu128");
        CudaCheck.Report linux = CudaCheck.check(env, "linux-x86_64");
        assertTrue(linux.missing.contains("a CUDA libtorch in PYTORCH_LIBRARY_PATH"), linux.missing.toString());
        CudaCheck.Report windows = CudaCheck.check(env, "win-x86_64");
        assertTrue(windows.missing.contains("libtorch's lib on PATH"), windows.missing.toString());
        CudaCheck.Report mac = CudaCheck.check(env, "osx-aarch64");
        assertEquals(List.of("a linux-x86_64 or win-x86_64 computer"), mac.missing);
    }
}
