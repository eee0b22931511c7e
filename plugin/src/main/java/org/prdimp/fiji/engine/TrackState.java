package org.prdimp.fiji.engine;

/** What the peak analysis of a frame's probability map concluded (spec section 4). */
public enum TrackState {
    /** One clear peak: the target was found and its sample was learnt. */
    NORMAL("normal"),
    /** Two similar peaks, both near or both far from the previous position: position kept from the
     * strongest peak, nothing learnt from this frame. */
    UNCERTAIN("uncertain"),
    /** A distractor close in strength: the target was found, and the frame is learnt at once with a
     * higher learning rate so that the distractor is suppressed. */
    HARD_NEGATIVE("hard_negative"),
    /** The probability map has no peak above the not-found threshold: no box this frame. */
    NOT_FOUND("not_found"),
    /** The frame carries no signal (constant, all-NaN or mostly non-finite pixels): no box, nothing
     * learnt, the target keeps its position and size for the next frame. */
    NO_SIGNAL("no_signal");

    private final String label;

    TrackState(String label) {
        this.label = label;
    }

    /** The name used in tables and CSV files. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
