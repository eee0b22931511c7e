package net.imglib2.algorithm;

/** Shim of imglib2-algorithm 0.18.3 {@code Benchmark}: signatures only. */
public interface Benchmark {
    /** Processing time of the last run, in milliseconds. */
    long getProcessingTime();
}
