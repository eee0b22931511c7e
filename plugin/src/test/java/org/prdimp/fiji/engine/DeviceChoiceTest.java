package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import org.junit.jupiter.api.Test;

/**
 * The device choice against device lists as DJL's engine reports them ({@code Engine.getDevices()}:
 * its GPUs, or the CPU alone), for CUDA and CPU builds of libtorch, without a GPU here; and the
 * check that keeps every network input on the network's device.
 */
class DeviceChoiceTest {
    private static final Device[] CPU_ONLY = {Device.cpu()};
    private static final Device[] TWO_GPUS = {Device.gpu(0), Device.gpu(1)};
    private static final String VERSION = "2.7.1";

    @Test
    void autoTakesTheFirstGpuOfACudaBuild() throws ModelException {
        DeviceChoice.Resolved r = DeviceChoice.AUTO.resolve(true, TWO_GPUS, VERSION);
        assertEquals(Device.gpu(0), r.device);
        assertNull(r.note);
        Device[] secondListed = {Device.gpu(1)};
        assertEquals(Device.gpu(1), DeviceChoice.GPU.resolve(true, secondListed, VERSION).device);
        assertEquals(Device.gpu(0), DeviceChoice.GPU.resolve(true, TWO_GPUS, VERSION).device);
    }

    @Test
    void cpuIsTheCpuWhateverTheGpus() throws ModelException {
        DeviceChoice.Resolved r = DeviceChoice.CPU.resolve(true, TWO_GPUS, VERSION);
        assertEquals(Device.cpu(), r.device);
        assertNull(r.note, "asking for the CPU is no fallback");
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhy() throws ModelException {
        DeviceChoice.Resolved cpuBuild = DeviceChoice.AUTO.resolve(false, CPU_ONLY, VERSION);
        assertEquals(Device.cpu(), cpuBuild.device);
        assertTrue(cpuBuild.note.startsWith("running on the CPU: this libtorch is the CPU build"), cpuBuild.note);
        assertTrue(cpuBuild.note.contains("libtorch 2.7.1 for CUDA 12.8 (cu128)"), cpuBuild.note);
        // a CPU build never runs on a GPU, whatever a (wrong) device list says
        assertEquals(Device.cpu(), DeviceChoice.AUTO.resolve(false, TWO_GPUS, VERSION).device);

        DeviceChoice.Resolved noGpu = DeviceChoice.AUTO.resolve(true, CPU_ONLY, VERSION);
        assertEquals(Device.cpu(), noGpu.device);
        assertTrue(noGpu.note.contains("libtorch has CUDA but sees no GPU"), noGpu.note);
    }

    @Test
    void gpuFailsWithTheReasonWhenNoneIsUsable() {
        ModelException cpuBuild = assertThrows(ModelException.class, () -> DeviceChoice.GPU.resolve(false, CPU_ONLY, VERSION));
        assertTrue(cpuBuild.getMessage().startsWith("GPU asked for but not usable: this libtorch is the CPU build"),
                cpuBuild.getMessage());
        assertTrue(cpuBuild.getMessage().endsWith("; use device auto or cpu"), cpuBuild.getMessage());
        ModelException noGpu = assertThrows(ModelException.class, () -> DeviceChoice.GPU.resolve(true, CPU_ONLY, VERSION));
        assertTrue(noGpu.getMessage().contains("sees no GPU"), noGpu.getMessage());
    }

    @Test
    void whyNoGpuIsNullOnlyForACudaBuildWithAGpu() {
        assertNull(DeviceChoice.whyNoGpu(true, TWO_GPUS, VERSION));
        assertTrue(DeviceChoice.whyNoGpu(false, TWO_GPUS, VERSION).contains("CPU build"));
        assertTrue(DeviceChoice.whyNoGpu(true, new Device[0], VERSION).contains("sees no GPU"));
    }

    @Test
    void networkInputsMustBeOnTheNetworksDevice() {
        assertNull(TrackerNetwork.misplaced("extract", 0, Device.gpu(0), Device.gpu(0)));
        assertNull(TrackerNetwork.misplaced("extract", 0, Device.cpu(), Device.cpu()));
        String wrong = TrackerNetwork.misplaced("classify", 1, Device.gpu(0), Device.cpu());
        assertEquals("classify: input 1 is on cpu() but the network runs on gpu(0) (make arrays with a manager from"
                + " TrackerNetwork.manager())", wrong);
        assertTrue(TrackerNetwork.misplaced("extract", 0, Device.gpu(0), Device.gpu(1)).contains("gpu(1)"));
    }
}
