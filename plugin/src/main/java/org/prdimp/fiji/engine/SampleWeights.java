package org.prdimp.fiji.engine;

/**
 * Weights of a target's sample memory (spec section 4, step 4): the initial samples share weight 1
 * at first; each stored sample enters with the learning rate while all others decay by
 * (1 - rate) (exponential forgetting); a full memory replaces its lowest-weight non-initial slot;
 * the initial samples keep at least {@code initMinimum} of the total; weights always sum to 1.
 */
final class SampleWeights {
    private final double[] weights;
    private final int initCount;
    private final double initMinimum;
    private int count;

    SampleWeights(int capacity, int initCount, double initMinimum) {
        if (initCount >= capacity) {
            throw new IllegalArgumentException("sample memory of " + capacity + " cannot hold " + initCount + " initial samples and updates");
        }
        this.weights = new double[capacity];
        this.initCount = initCount;
        this.initMinimum = initMinimum;
        this.count = initCount;
        for (int i = 0; i < initCount; i++) {
            weights[i] = 1.0 / initCount;
        }
    }

    /** Makes room for a new sample learnt at {@code rate}; returns its slot. */
    int add(double rate) {
        int slot;
        if (count < weights.length) {
            slot = count++;
        } else {
            slot = initCount;
            for (int i = initCount + 1; i < weights.length; i++) {
                if (weights[i] < weights[slot]) {
                    slot = i;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            weights[i] *= 1 - rate;
        }
        weights[slot] = rate;
        normalise();
        return slot;
    }

    private void normalise() {
        double total = 0;
        double init = 0;
        for (int i = 0; i < count; i++) {
            total += weights[i];
            if (i < initCount) {
                init += weights[i];
            }
        }
        double initScale = 1 / total;
        double otherScale = 1 / total;
        if (init / total < initMinimum && total > init) {
            initScale = initMinimum / init;
            otherScale = (1 - initMinimum) / (total - init);
        }
        for (int i = 0; i < count; i++) {
            weights[i] *= i < initCount ? initScale : otherScale;
        }
    }

    int count() {
        return count;
    }

    int capacity() {
        return weights.length;
    }

    double weight(int i) {
        return weights[i];
    }
}
