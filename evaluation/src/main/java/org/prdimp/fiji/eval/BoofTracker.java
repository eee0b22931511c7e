package org.prdimp.fiji.eval;

import boofcv.abst.tracker.ConfigCirculantTracker;
import boofcv.abst.tracker.ConfigComaniciu2003;
import boofcv.abst.tracker.ConfigTrackerTld;
import boofcv.abst.tracker.TrackerObjectQuad;
import boofcv.alg.tracker.sfot.ConfigSfot;
import boofcv.factory.tracker.FactoryTrackerObjectQuad;
import boofcv.struct.image.GrayS16;
import boofcv.struct.image.GrayU8;
import boofcv.struct.image.ImageBase;
import boofcv.struct.image.ImageType;
import boofcv.struct.image.Planar;
import georegression.struct.shapes.Quadrilateral_F64;
import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.Frame;

/**
 * BoofCV's object trackers ({@code FactoryTrackerObjectQuad}) with their default configurations: the
 * circulant (kernelised correlation) tracker, TLD and sparse optical flow on the 8-bit grey frame; mean shift
 * (Comaniciu 2003, colour histograms) on 8-bit r, g, b planes for colour sequences and the grey frame
 * otherwise. The box handed in becomes the quadrilateral of its corners; the box reported is the bounding box
 * of the quadrilateral. {@code process} returning false is a lost frame.
 */
final class BoofTracker implements PeerTracker {
    enum Kind { CIRCULANT, TLD, SPARSE_FLOW, MEAN_SHIFT }

    private final Kind kind;
    @SuppressWarnings("rawtypes")
    private TrackerObjectQuad tracker;
    @SuppressWarnings("rawtypes")
    private ImageBase image;
    private final Quadrilateral_F64 quad = new Quadrilateral_F64();

    BoofTracker(Kind kind) {
        this.kind = kind;
    }

    @SuppressWarnings("rawtypes")
    private static TrackerObjectQuad create(Kind kind, boolean colour) {
        TrackerObjectQuad t;
        switch (kind) {
            case CIRCULANT:
                t = FactoryTrackerObjectQuad.circulant(new ConfigCirculantTracker(), GrayU8.class);
                break;
            case TLD:
                t = FactoryTrackerObjectQuad.tld(new ConfigTrackerTld(), GrayU8.class);
                break;
            case SPARSE_FLOW:
                t = FactoryTrackerObjectQuad.sparseFlow(new ConfigSfot(), GrayU8.class, GrayS16.class);
                break;
            default:
                ImageType type = colour ? ImageType.pl(3, GrayU8.class) : ImageType.single(GrayU8.class);
                t = FactoryTrackerObjectQuad.meanShiftComaniciu2003(new ConfigComaniciu2003(), type);
        }
        return t;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean start(Frame frame, Box box) {
        tracker = create(kind, frame.channelCount() == 3);
        quad.a.setTo(box.x, box.y);
        quad.b.setTo(box.x + box.w, box.y);
        quad.c.setTo(box.x + box.w, box.y + box.h);
        quad.d.setTo(box.x, box.y + box.h);
        return tracker.initialize(convert(frame), quad);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Box next(Frame frame) {
        if (!tracker.process(convert(frame), quad)) {
            return null;
        }
        double x0 = Math.min(Math.min(quad.a.x, quad.b.x), Math.min(quad.c.x, quad.d.x));
        double x1 = Math.max(Math.max(quad.a.x, quad.b.x), Math.max(quad.c.x, quad.d.x));
        double y0 = Math.min(Math.min(quad.a.y, quad.b.y), Math.min(quad.c.y, quad.d.y));
        double y1 = Math.max(Math.max(quad.a.y, quad.b.y), Math.max(quad.c.y, quad.d.y));
        return new Box(x0, y0, x1 - x0, y1 - y0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ImageBase convert(Frame frame) {
        if (tracker.getImageType().getFamily() == ImageType.Family.PLANAR) {
            Planar<GrayU8> rgb = image == null ? new Planar<>(GrayU8.class, frame.width, frame.height, 3) : (Planar<GrayU8>) image;
            for (int c = 0; c < 3; c++) {
                float[] p = frame.channels[c];
                byte[] d = rgb.getBand(c).data;
                for (int i = 0; i < p.length; i++) {
                    d[i] = (byte) EightBit.quantise(p[i]);
                }
            }
            image = rgb;
        } else {
            GrayU8 grey = image == null ? new GrayU8(frame.width, frame.height) : (GrayU8) image;
            EightBit.grey(frame, grey.data);
            image = grey;
        }
        return image;
    }

    @Override
    public void close() {
        // plain Java objects
    }
}
