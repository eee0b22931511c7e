package org.prdimp.fiji.eval;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import java.util.function.Supplier;

import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_tracking.TrackerCSRT;
import org.bytedeco.opencv.opencv_tracking.TrackerKCF;
import org.bytedeco.opencv.opencv_video.Tracker;
import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.Frame;

/**
 * OpenCV's CSRT or KCF (contrib tracking module, through JavaCPP's {@code org.bytedeco:opencv}) with their
 * default parameters, or NanoTrack ({@code TrackerNano}, video module, its two ONNX networks run by OpenCV's
 * dnn module), on 8-bit BGR frames. OpenCV's boxes are whole pixels: the initial box is rounded and
 * clipped to the image. {@code update} returning false is a lost frame.
 */
final class OpenCvTracker implements PeerTracker {
    private final Supplier<Tracker> factory;
    private Tracker tracker;
    private Mat mat;
    private byte[] pixels;
    private final Rect rect = new Rect();

    OpenCvTracker(boolean csrt) {
        this(csrt ? TrackerCSRT::create : TrackerKCF::create);
    }

    /** A tracker made by {@code factory} when the sequence starts (e.g. {@link NanoTrackFiles#create}). */
    OpenCvTracker(Supplier<Tracker> factory) {
        this.factory = factory;
    }

    static String version() {
        return opencv_core.getVersionString().getString();
    }

    static int threads() {
        return opencv_core.getNumThreads();
    }

    @Override
    public boolean start(Frame frame, Box box) {
        tracker = factory.get();
        int x0 = clamp((int) Math.round(box.x), 0, frame.width - 1);
        int y0 = clamp((int) Math.round(box.y), 0, frame.height - 1);
        int x1 = clamp((int) Math.round(box.x + box.w), x0 + 1, frame.width);
        int y1 = clamp((int) Math.round(box.y + box.h), y0 + 1, frame.height);
        tracker.init(toMat(frame), new Rect(x0, y0, x1 - x0, y1 - y0));
        return true;
    }

    @Override
    public Box next(Frame frame) {
        if (!tracker.update(toMat(frame), rect)) {
            return null;
        }
        return new Box(rect.x(), rect.y(), rect.width(), rect.height());
    }

    private Mat toMat(Frame frame) {
        if (mat == null) {
            mat = new Mat(frame.height, frame.width, CV_8UC3);
        }
        pixels = EightBit.bgr(frame, pixels);
        mat.data().put(pixels);
        return mat;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Override
    public void close() {
        if (tracker != null) {
            tracker.close();
        }
        if (mat != null) {
            mat.close();
        }
        rect.close();
    }
}
