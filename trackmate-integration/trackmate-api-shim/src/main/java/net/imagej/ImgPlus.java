package net.imagej;

import java.util.Arrays;

import net.imagej.axis.AxisType;
import net.imglib2.Cursor;
import net.imglib2.Interval;
import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.ImgFactory;

/**
 * Shim of imagej-common 2.1.1 {@code ImgPlus}: an {@link Img} with a name, one axis type and one
 * scale per dimension. Only the constructor and methods this module uses; the image methods
 * delegate to the wrapped image.
 */
public class ImgPlus<T> implements Img<T> {
    private final Img<T> img;
    private final String name;
    private final AxisType[] axes;
    private final double[] cal;

    public ImgPlus(Img<T> img, String name, AxisType[] axes, double[] cal) {
        if (axes.length != img.numDimensions() || cal.length != img.numDimensions()) {
            throw new IllegalArgumentException("one axis type and one scale per dimension");
        }
        this.img = img;
        this.name = name;
        this.axes = axes.clone();
        this.cal = cal.clone();
    }

    public Img<T> getImg() {
        return img;
    }

    public String getName() {
        return name;
    }

    /** Index of the dimension of that axis type; -1 when the image has none. */
    public int dimensionIndex(AxisType axis) {
        return Arrays.asList(axes).indexOf(axis);
    }

    /** Size of one pixel along dimension {@code d}, in calibrated units. */
    public double averageScale(int d) {
        return cal[d];
    }

    @Override
    public int numDimensions() {
        return img.numDimensions();
    }

    @Override
    public long min(int d) {
        return img.min(d);
    }

    @Override
    public long max(int d) {
        return img.max(d);
    }

    @Override
    public RandomAccess<T> randomAccess() {
        return img.randomAccess();
    }

    @Override
    public RandomAccess<T> randomAccess(Interval interval) {
        return img.randomAccess(interval);
    }

    @Override
    public T getType() {
        return img.getType();
    }

    @Override
    public Cursor<T> cursor() {
        return img.cursor();
    }

    @Override
    public Cursor<T> localizingCursor() {
        return img.localizingCursor();
    }

    @Override
    public long size() {
        return img.size();
    }

    @Override
    public Object iterationOrder() {
        return img.iterationOrder();
    }

    @Override
    public ImgFactory<T> factory() {
        return img.factory();
    }

    @Override
    public ImgPlus<T> copy() {
        return new ImgPlus<>(img.copy(), name, axes, cal);
    }
}
