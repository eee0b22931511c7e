package net.imglib2.algorithm;

/** Shim of imglib2-algorithm 0.18.3 {@code Algorithm}: signatures only. */
public interface Algorithm {
    boolean checkInput();

    boolean process();

    String getErrorMessage();
}
