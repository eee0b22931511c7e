package org.prdimp.fiji.io;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.TiffDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Reads TIFF headers with ImageJ's TiffDecoder and opens TIFF files as virtual stacks. */
final class TiffFiles {
    private static final String FIX_CORRUPT = "Check that the file is a complete TIFF file, or re-save it as TIFF in Fiji.";

    private TiffFiles() {}

    /** True for a classic TIFF or BigTIFF byte-order mark and magic number. */
    static boolean hasTiffSignature(Path path) {
        return signature(path) != 0;
    }

    /** 42 for classic TIFF, 43 for BigTIFF, 0 for anything else. */
    private static int signature(Path path) {
        byte[] b = new byte[4];
        try (InputStream in = Files.newInputStream(path)) {
            if (in.readNBytes(b, 0, 4) < 4) {
                return 0;
            }
        } catch (IOException e) {
            return 0;
        }
        boolean ii = b[0] == 'I' && b[1] == 'I' && b[3] == 0;
        boolean mm = b[0] == 'M' && b[1] == 'M' && b[2] == 0;
        int magic = ii ? b[2] : (mm ? b[3] : 0);
        return magic == 42 || magic == 43 ? magic : 0;
    }

    /** One FileInfo per image in the file, all of one size and type, with pixel data inside the file. */
    static FileInfo[] pages(Path path) throws InputException {
        String where = path.toAbsolutePath().toString();
        int magic = signature(path);
        if (magic == 43) {
            throw new InputException("Cannot open " + where + ": BigTIFF files are not supported."
                    + " Open it in Fiji with Bio-Formats and save it as a folder of TIFF images.");
        }
        if (magic != 42) {
            throw new InputException("Cannot open " + where + ": it is not a TIFF file. " + FIX_CORRUPT);
        }
        FileInfo[] info;
        try {
            String dir = path.toAbsolutePath().getParent().toString();
            TiffDecoder decoder = new TiffDecoder(dir.endsWith("/") || dir.endsWith("\\") ? dir : dir + java.io.File.separator,
                    path.getFileName().toString());
            info = decoder.getTiffInfo();
        } catch (IOException | RuntimeException e) {
            throw new InputException("Cannot open " + where + ": " + InputException.reason(e) + ". " + FIX_CORRUPT, e);
        }
        if (info == null || info.length == 0 || info[0].width < 1 || info[0].height < 1) {
            throw new InputException("Cannot open " + where + ": no readable image in the TIFF file. " + FIX_CORRUPT);
        }
        long fileLength = length(path);
        if (info.length == 1 && info[0].nImages > 1) {
            return contiguousPages(info[0], fileLength, where);
        }
        FileInfo first = info[0];
        typeOf(first, where);
        for (int i = 0; i < info.length; i++) {
            FileInfo fi = info[i];
            if (fi.width != first.width || fi.height != first.height || fi.fileType != first.fileType) {
                throw new InputException("Cannot open " + where + ": image " + (i + 1) + " of the TIFF file is " + fi.width + "x"
                        + fi.height + " but image 1 is " + first.width + "x" + first.height + " (or their types differ)."
                        + " Save the frames to track as a stack of equal images.");
            }
            if (dataEnd(fi) > fileLength) {
                throw new InputException("Cannot open " + where + ": the file is truncated (image " + (i + 1)
                        + " lies past its end). " + FIX_CORRUPT);
            }
            fi.nImages = 1;
        }
        int chain = completeImages(path, fileLength);
        if (chain >= 0) {
            throw new InputException("Cannot open " + where + ": the file is truncated (the chain of images breaks after image "
                    + chain + " of the TIFF file; it ends at byte " + fileLength + "). " + FIX_CORRUPT);
        }
        return info;
    }

    /**
     * Walks the chain of image directories (IFDs) of a classic TIFF file: -1 when it ends properly
     * (a next-directory offset of 0), else the number of complete directories before it runs past
     * the end of the file (a truncated file, whose remaining images TiffDecoder would silently drop).
     */
    static int completeImages(Path path, long fileLength) throws InputException {
        try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(path)) {
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(8);
            if (c.read(head, 0) < 8) {
                return 0;
            }
            java.nio.ByteOrder order = head.get(0) == 'I' ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN;
            head.order(order);
            long offset = head.getInt(4) & 0xffffffffL;
            int count = 0;
            java.util.Set<Long> seen = new java.util.HashSet<>();
            while (offset != 0) {
                if (!seen.add(offset)) {
                    return -1; // a loop of directories: not a truncation (TiffDecoder reads each once)
                }
                if (offset + 2 > fileLength) {
                    return count;
                }
                java.nio.ByteBuffer n = java.nio.ByteBuffer.allocate(2).order(order);
                c.read(n, offset);
                int entries = n.getShort(0) & 0xffff;
                long next = offset + 2 + 12L * entries;
                if (next + 4 > fileLength) {
                    return count;
                }
                java.nio.ByteBuffer nb = java.nio.ByteBuffer.allocate(4).order(order);
                c.read(nb, next);
                offset = nb.getInt(0) & 0xffffffffL;
                count++;
            }
            return -1;
        } catch (IOException e) {
            throw new InputException("Cannot read " + path.toAbsolutePath() + ": " + InputException.reason(e)
                    + ". Check that the file exists and is readable.", e);
        }
    }

    /** The images of an uncompressed ImageJ stack, stored back to back; only those that fit in the file. */
    private static FileInfo[] contiguousPages(FileInfo fi, long fileLength, String where) throws InputException {
        typeOf(fi, where);
        long bytesPerImage = imageBytes(fi);
        long gap = fi.getGap();
        int n = 0;
        while (n < fi.nImages && fi.getOffset() + n * (bytesPerImage + gap) + bytesPerImage <= fileLength) {
            n++;
        }
        if (n == 0) {
            throw new InputException("Cannot open " + where + ": the file is truncated (no complete image). " + FIX_CORRUPT);
        }
        FileInfo[] pages = new FileInfo[n];
        for (int i = 0; i < n; i++) {
            FileInfo p = (FileInfo) fi.clone();
            p.nImages = 1;
            p.longOffset = fi.getOffset() + i * (bytesPerImage + gap);
            p.stripOffsets = null; // uncompressed and contiguous: read from longOffset
            p.stripLengths = null;
            pages[i] = p;
        }
        return pages;
    }

    private static long imageBytes(FileInfo fi) {
        long w = fi.width;
        long h = fi.height;
        switch (fi.fileType) {
            case FileInfo.GRAY12_UNSIGNED:
                return (long) (1.5 * w) * h;
            case FileInfo.GRAY10_UNSIGNED:
                return (long) (1.25 * w) * h;
            case FileInfo.BITMAP:
                return (w + 7) / 8 * h;
            default:
                return w * h * fi.getBytesPerPixel();
        }
    }

    /** End of an image's pixel data in the file: its last strip, or the whole image for uncompressed data. */
    static long dataEnd(FileInfo fi) {
        if (fi.stripOffsets != null && fi.stripLengths != null && fi.stripOffsets.length == fi.stripLengths.length
                && fi.stripOffsets.length > 0) {
            long end = 0;
            for (int s = 0; s < fi.stripOffsets.length; s++) {
                end = Math.max(end, (fi.stripOffsets[s] & 0xffffffffL) + (fi.stripLengths[s] & 0xffffffffL));
            }
            return end;
        }
        return fi.compression <= FileInfo.COMPRESSION_NONE ? fi.getOffset() + imageBytes(fi) : fi.getOffset();
    }

    private static long length(Path path) throws InputException {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new InputException("Cannot read " + path.toAbsolutePath() + ": " + InputException.reason(e)
                    + ". Check that the file exists and is readable.", e);
        }
    }

    static PixelType typeOf(FileInfo fi, String where) throws InputException {
        switch (fi.fileType) {
            case FileInfo.GRAY8:
            case FileInfo.COLOR8:
            case FileInfo.BITMAP:
                return PixelType.GREY8;
            case FileInfo.GRAY16_SIGNED:
            case FileInfo.GRAY16_UNSIGNED:
            case FileInfo.GRAY12_UNSIGNED:
            case FileInfo.GRAY10_UNSIGNED:
                return PixelType.GREY16;
            case FileInfo.GRAY32_INT:
            case FileInfo.GRAY32_UNSIGNED:
            case FileInfo.GRAY32_FLOAT:
            case FileInfo.GRAY24_UNSIGNED:
            case FileInfo.GRAY64_FLOAT:
                return PixelType.GREY32;
            case FileInfo.RGB:
            case FileInfo.BGR:
            case FileInfo.ARGB:
            case FileInfo.ABGR:
            case FileInfo.BARG:
            case FileInfo.RGB_PLANAR:
            case FileInfo.CMYK:
                return PixelType.RGB;
            case FileInfo.RGB48:
            case FileInfo.RGB48_PLANAR:
                throw new InputException("Cannot open " + where + ": 16-bit-per-channel RGB TIFFs are not supported."
                        + " Open it in Fiji and save it as a 16-bit multi-channel hyperstack, or convert it to RGB Color.");
            default:
                throw new InputException("Cannot open " + where + ": unsupported TIFF pixel type. Convert it to 8-, 16-, 32-bit or RGB in Fiji.");
        }
    }

    /**
     * Opens a TIFF file as a virtual stack (nothing but the first image is read), with the
     * channels/slices/frames of an ImageJ hyperstack when the file records them.
     */
    static ImagePlus openVirtual(Path path) throws InputException {
        FileInfo[] pages = pages(path);
        PixelType type = typeOf(pages[0], path.toAbsolutePath().toString());
        int bitDepth = type == PixelType.GREY8 ? 8 : type == PixelType.GREY16 ? 16 : type == PixelType.RGB ? 24 : 32;
        String title = path.getFileName().toString();
        int declared = declaredImages(pages[0].description);
        if (declared > pages.length) { // a cut-off ImageJ stack: like ImageJ, the complete images are kept, but said so
            title += " (truncated: only the first " + pages.length + " of its " + declared + " images are complete)";
        }
        ImagePlus imp;
        try {
            imp = new ImagePlus(title, new TiffPageStack(pages, bitDepth));
        } catch (RuntimeException e) {
            throw new InputException("Cannot read the first image of " + path.toAbsolutePath() + ": " + InputException.reason(e)
                    + ". " + FIX_CORRUPT, e);
        }
        int[] czt = hyperstackDimensions(pages[0].description);
        if (czt != null && (long) czt[0] * czt[1] * czt[2] == pages.length) {
            imp.setDimensions(czt[0], czt[1], czt[2]);
        }
        return imp;
    }

    /** The number of images an ImageJ image description declares, or 0. */
    static int declaredImages(String description) {
        if (description == null || !description.startsWith("ImageJ")) {
            return 0;
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(description));
            return Integer.parseInt(p.getProperty("images", "0").trim());
        } catch (IOException | IllegalArgumentException e) {
            return 0;
        }
    }

    /** Channels, slices, frames from an ImageJ image description, or null if it is not one. */
    static int[] hyperstackDimensions(String description) {
        if (description == null || !description.startsWith("ImageJ")) {
            return null;
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(description));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        return new int[] {positive(p, "channels"), positive(p, "slices"), positive(p, "frames")};
    }

    private static int positive(Properties p, String key) {
        try {
            int v = (int) Double.parseDouble(p.getProperty(key, "1").trim());
            return Math.max(1, v);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
