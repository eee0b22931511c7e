package org.prdimp.fiji.io;

import ij.VirtualStack;
import ij.io.FileInfo;
import ij.io.FileOpener;
import ij.process.ImageProcessor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A virtual stack over the pages of one TIFF file: each {@link #getProcessor(int)} reads one page
 * from disk. Unlike ImageJ's FileInfoVirtualStack, a page that cannot be read throws an
 * {@link UncheckedIOException} instead of silently giving a blank image.
 */
final class TiffPageStack extends VirtualStack {
    private final FileInfo[] pages;
    private final int bitDepth;

    TiffPageStack(FileInfo[] pages, int bitDepth) {
        super(pages[0].width, pages[0].height);
        this.pages = pages;
        this.bitDepth = bitDepth;
    }

    @Override
    public ImageProcessor getProcessor(int n) {
        int k = translate(n);
        if (k < 1 || k > pages.length) {
            throw new IllegalArgumentException("page " + n + " out of range 1.." + pages.length);
        }
        ImageProcessor ip = readPage(pages[k - 1]);
        ip.setSliceNumber(n);
        return ip;
    }

    /**
     * Reads one page. Checks first that the file still holds the page's data, as ImageJ would
     * otherwise show an error dialog (or log) and return nothing.
     *
     * @throws UncheckedIOException if the page cannot be read
     */
    static ImageProcessor readPage(FileInfo page) {
        File file = new File(page.getFilePath());
        if (!file.isFile()) {
            throw new UncheckedIOException(new IOException("the file no longer exists"));
        }
        if (file.length() < TiffFiles.dataEnd(page)) {
            throw new UncheckedIOException(new IOException("the file is shorter than the image data it declares"));
        }
        ImageProcessor ip = new FileOpener((FileInfo) page.clone()).openProcessor();
        if (ip == null) {
            throw new UncheckedIOException(new IOException("ImageJ cannot decode the pixel data"));
        }
        return ip;
    }

    @Override
    public int getSize() {
        return pages.length;
    }

    @Override
    public int size() {
        return pages.length;
    }

    @Override
    public String getSliceLabel(int n) {
        return null;
    }

    @Override
    public int getBitDepth() {
        return bitDepth;
    }

    @Override
    public String getDirectory() {
        return pages[0].directory;
    }

    @Override
    public String getFileName(int n) {
        return pages[0].fileName;
    }

    @Override
    public void deleteSlice(int n) {
        throw new UnsupportedOperationException("a TIFF page stack is read-only");
    }
}
