package org.prdimp.fiji.engine;

import java.util.Locale;

import ai.djl.Device;

/** Where the network runs: the GPU when usable (auto), the CPU, or the GPU only (fails when unusable). */
public enum DeviceChoice {
    AUTO, CPU, GPU;

    /** Parses auto, cpu or gpu (any case). */
    public static DeviceChoice parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device '" + text + "' is not one of auto, cpu, gpu");
        }
    }

    /** A choice resolved against the devices libtorch reports: the device, and why not the GPU where auto fell back. */
    public static final class Resolved {
        public final Device device;
        /** Null unless auto fell back to the CPU. */
        public final String note;

        Resolved(Device device, String note) {
            this.device = device;
            this.note = note;
        }
    }

    /**
     * The device this choice runs on. {@code devices} is what DJL's engine reports
     * ({@code Engine.getDevices()}: its GPUs, or the CPU alone when it sees none); the first GPU in
     * it is taken, and every tensor the engine makes then lives on that device.
     *
     * @param cudaBuild whether libtorch is a CUDA build ({@code StandardCapabilities.CUDA})
     * @param libtorchVersion for the message on a CPU build
     * @throws ModelException when the GPU was asked for and none is usable
     */
    public Resolved resolve(boolean cudaBuild, Device[] devices, String libtorchVersion) throws ModelException {
        if (this == CPU) {
            return new Resolved(Device.cpu(), null);
        }
        String why = whyNoGpu(cudaBuild, devices, libtorchVersion);
        if (why == null) {
            return new Resolved(firstGpu(devices), null);
        }
        if (this == GPU) {
            throw new ModelException("GPU asked for but not usable: " + why + "; use device auto or cpu");
        }
        return new Resolved(Device.cpu(), "running on the CPU: " + why);
    }

    /** Null when a GPU is usable, else the reason it is not. */
    public static String whyNoGpu(boolean cudaBuild, Device[] devices, String libtorchVersion) {
        if (!cudaBuild) {
            return "this libtorch is the CPU build (DJL's pytorch-native-cpu); for a GPU, set PYTORCH_LIBRARY_PATH to the lib"
                    + " folder of libtorch " + libtorchVersion + " for CUDA 12.8 (cu128), PYTORCH_VERSION=" + libtorchVersion
                    + " and PYTORCH_FLAVOR=cu128 (prdimp doctor lists what is missing)";
        }
        if (firstGpu(devices) == null) {
            return "libtorch has CUDA but sees no GPU (no NVIDIA driver, or libcudart not on the library path)";
        }
        return null;
    }

    private static Device firstGpu(Device[] devices) {
        for (Device d : devices) {
            if (d.isGpu()) {
                return d;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
