package net.imglib2.algorithm;

/** Shim of imglib2-algorithm 0.18.3 {@code MultiThreaded}: signatures only. */
public interface MultiThreaded {
    void setNumThreads();

    void setNumThreads(int numThreads);

    int getNumThreads();
}
