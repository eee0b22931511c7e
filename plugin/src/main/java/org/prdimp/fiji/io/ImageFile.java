package org.prdimp.fiji.io;

import ij.io.FileInfo;
import ij.process.ImageProcessor;
import java.nio.file.Path;
import java.util.Locale;

/** One single-image file: size and type known from its header, pixels decoded on demand. */
final class ImageFile {
    final Path path;
    final int width;
    final int height;
    final PixelType type;
    private final FileInfo tiffPage; // null for files read with javax.imageio

    ImageFile(Path path, int width, int height, PixelType type, FileInfo tiffPage) {
        this.path = path;
        this.width = width;
        this.height = height;
        this.type = type;
        this.tiffPage = tiffPage;
    }

    static boolean isTiffName(Path path) {
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".tif") || n.endsWith(".tiff");
    }

    /** Reads the header of a single-image TIFF, PNG or JPEG file. */
    static ImageFile probe(Path path) throws InputException {
        if (!isTiffName(path) && !TiffFiles.hasTiffSignature(path)) {
            return ImageIoFiles.probe(path);
        }
        FileInfo[] pages = TiffFiles.pages(path);
        if (pages.length != 1) {
            throw new InputException(path.toAbsolutePath() + " holds " + pages.length + " images, but each file of a folder"
                    + " must hold one frame. Open that stack file on its own, or save one image per file.");
        }
        FileInfo page = pages[0];
        return new ImageFile(path, page.width, page.height, TiffFiles.typeOf(page, path.toAbsolutePath().toString()), page);
    }

    /** Raw planes of the image. */
    float[][] read() throws InputException {
        if (tiffPage == null) {
            return ImageIoFiles.read(this);
        }
        ImageProcessor ip;
        try {
            ip = TiffPageStack.readPage(tiffPage);
        } catch (RuntimeException e) {
            throw new InputException("Cannot read the pixels of " + path.toAbsolutePath() + ": " + InputException.reason(e)
                    + ". Check that the file is complete and readable, or re-save it as TIFF.", e);
        }
        if (ip.getWidth() != width || ip.getHeight() != height || Planes.typeOf(ip) != type) {
            throw new InputException("Cannot read the pixels of " + path.toAbsolutePath()
                    + ": they differ from its header. Re-save it as TIFF.");
        }
        return Planes.of(ip);
    }

    /** "1024x1024 8-bit greyscale" */
    String sizeAndType() {
        return width + "x" + height + " " + type.label;
    }
}
