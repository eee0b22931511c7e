package org.prdimp.fiji.trackmate;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import org.jgrapht.graph.DefaultWeightedEdge;

/**
 * The link probability of each edge the PrDiMP linker made, kept until the edge is gone (weak
 * keys). TrackMate copies it into the edge feature {@value #FEATURE} through
 * {@link LinkProbabilityAnalyzer}; scripts read it with {@link #of}.
 */
public final class LinkProbabilities {
    /** Edge feature: the probability the linker gave the link (0-1). */
    public static final String FEATURE = "PRDIMP_LINK_PROBABILITY";

    private static final Map<DefaultWeightedEdge, Double> PROBABILITIES = Collections.synchronizedMap(new WeakHashMap<>());

    private LinkProbabilities() {
    }

    static void put(DefaultWeightedEdge edge, double probability) {
        PROBABILITIES.put(edge, probability);
    }

    /** The probability the PrDiMP linker gave this edge; null for edges it did not make. */
    public static Double of(DefaultWeightedEdge edge) {
        return PROBABILITIES.get(edge);
    }
}
