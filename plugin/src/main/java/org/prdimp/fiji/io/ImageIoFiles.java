package org.prdimp.fiji.io;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/** Single images read with javax.imageio (PNG, JPEG and the other formats the JDK reads). */
final class ImageIoFiles {
    private ImageIoFiles() {}

    /** Size and pixel type from the file header, without decoding pixels. */
    static ImageFile probe(Path path) throws InputException {
        return withReader(path, r -> {
            Iterator<ImageTypeSpecifier> types = r.getImageTypes(0);
            if (!types.hasNext()) {
                throw new InputException("Cannot open " + path.toAbsolutePath()
                        + ": unsupported kind of image. Convert it to an 8- or 16-bit greyscale or RGB TIFF or PNG.");
            }
            ImageTypeSpecifier t = types.next();
            return new ImageFile(path, r.getWidth(0), r.getHeight(0), typeOf(t.getColorModel(), t.getSampleModel(), path), null);
        });
    }

    /** Decodes the image into planes; it must have the probed size and type. */
    static float[][] read(ImageFile file) throws InputException {
        Path path = file.path;
        BufferedImage img = withReader(path, r -> r.read(0));
        if (img.getWidth() != file.width || img.getHeight() != file.height
                || typeOf(img.getColorModel(), img.getSampleModel(), path) != file.type) {
            throw new InputException("Cannot read " + path.toAbsolutePath() + ": its decoded size or type differs from its header."
                    + " Re-save the image as TIFF or PNG.");
        }
        return planes(img, file.type);
    }

    private interface ReaderTask<T> {
        T run(ImageReader reader) throws IOException, InputException;
    }

    private static <T> T withReader(Path path, ReaderTask<T> task) throws InputException {
        String where = path.toAbsolutePath().toString();
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            if (in == null) {
                throw new InputException("Cannot read " + where + ". Check that the file exists and is readable.");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InputException("Cannot open " + where + ": not a supported image format."
                        + " Use a TIFF, PNG or JPEG image, or a folder of them.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return task.run(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new InputException("Cannot read " + where + ": " + InputException.reason(e)
                    + ". Check that the file is a complete TIFF, PNG or JPEG image.", e);
        }
    }

    static PixelType typeOf(ColorModel cm, SampleModel sm, Path path) throws InputException {
        if (cm instanceof IndexColorModel) {
            return greyPalette((IndexColorModel) cm) ? PixelType.GREY8 : PixelType.RGB;
        }
        if (cm != null) {
            int space = cm.getColorSpace().getType();
            int bits = sm.getSampleSize(0);
            if (space == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
                return bits <= 8 ? PixelType.GREY8 : bits <= 16 ? PixelType.GREY16 : PixelType.GREY32;
            }
            if (space == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3 && bits <= 16) {
                return bits <= 8 ? PixelType.RGB : PixelType.RGB16;
            }
        }
        throw new InputException("Cannot open " + path.toAbsolutePath()
                + ": unsupported colour model. Convert it to an 8- or 16-bit greyscale or RGB TIFF or PNG.");
    }

    private static boolean greyPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            int r = icm.getRed(i);
            if (r != icm.getGreen(i) || r != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    private static float[][] planes(BufferedImage img, PixelType type) {
        int w = img.getWidth();
        int h = img.getHeight();
        Raster raster = img.getRaster();
        if (img.getColorModel() instanceof IndexColorModel) {
            IndexColorModel icm = (IndexColorModel) img.getColorModel();
            int[] idx = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            float[][] out = new float[type.channels][idx.length];
            for (int i = 0; i < idx.length; i++) {
                int k = idx[i];
                out[0][i] = icm.getRed(k);
                if (type.channels == 3) {
                    out[1][i] = icm.getGreen(k);
                    out[2][i] = icm.getBlue(k);
                }
            }
            return out;
        }
        float[][] out = new float[type.channels][];
        for (int b = 0; b < type.channels; b++) {
            out[b] = raster.getSamples(0, 0, w, h, b, (float[]) null);
        }
        return out;
    }
}
