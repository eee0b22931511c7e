package org.prdimp.fiji.run;

/** Frames first..last (0-based, inclusive) of a sequence: the first one holds the initial boxes. */
public final class FrameRange {
    public final int first;
    public final int last;

    public FrameRange(int first, int last) {
        this.first = first;
        this.last = last;
    }

    /** Every frame of a sequence of {@code count} frames. */
    public static FrameRange all(int count) {
        return new FrameRange(0, count - 1);
    }

    /**
     * Parses "A-B" (0-based, inclusive), "A-" (to the end) or "A"; checks it against the frame count.
     *
     * @throws TrackingException naming the valid range
     */
    public static FrameRange parse(String text, int count) throws TrackingException {
        String t = text.trim();
        String[] parts = t.split("-", -1);
        try {
            int first = Integer.parseInt(parts[0].trim());
            int last = parts.length == 1 ? count - 1
                    : parts[1].trim().isEmpty() ? count - 1 : Integer.parseInt(parts[1].trim());
            if (parts.length > 2) {
                throw new NumberFormatException();
            }
            return new FrameRange(first, last).checked(count);
        } catch (NumberFormatException e) {
            throw new TrackingException("frames '" + text + "' is not a range; write A-B with 0-based frame numbers, e.g. 0-"
                    + (count - 1));
        }
    }

    /** Checks the range against a sequence of {@code count} frames. */
    public FrameRange checked(int count) throws TrackingException {
        if (first < 0 || last >= count || first > last) {
            throw new TrackingException("frames " + first + "-" + last + " do not fit the " + count
                    + " frames of the input (0-" + (count - 1) + "); choose a range inside it");
        }
        if (last == first) {
            throw new TrackingException("frames " + first + "-" + last + " is a single frame; tracking needs at least"
                    + " two (the first holds the initial boxes)");
        }
        return this;
    }

    public int size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
