package net.imglib2.algorithm;

/** Shim of imglib2-algorithm 0.18.3 {@code OutputAlgorithm}: signatures only. */
public interface OutputAlgorithm<O> extends Algorithm {
    O getResult();
}
