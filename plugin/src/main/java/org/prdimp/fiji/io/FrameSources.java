package org.prdimp.fiji.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Opens image files and folders as {@link FrameSource}s; nothing but headers and the first frame is read. */
public final class FrameSources {
    private static final String KINDS = "a TIFF stack, a single image, or a folder of TIFF, PNG or JPEG images";

    private FrameSources() {}

    /**
     * Opens {@code path}: a (multi-page, possibly hyperstack) TIFF file as a virtual stack; a folder
     * of TIFF/PNG/JPEG files (one frame per file, in natural name order, other files ignored); or a
     * single other image as one frame.
     *
     * @param channel 1-based channel of a multi-channel TIFF hyperstack; 1 otherwise
     * @param axis    for TIFF hyperstacks, the dimension to track through
     */
    public static FrameSource open(Path path, int channel, TrackingAxis axis) throws InputException {
        if (path == null || !Files.exists(path)) {
            throw new InputException("Cannot find " + (path == null ? "the input" : path.toAbsolutePath())
                    + ". Check the path: it must be " + KINDS + ".");
        }
        if (!Files.isReadable(path)) {
            throw new InputException("Cannot read " + path.toAbsolutePath() + ": permission denied. Make it readable or copy it elsewhere.");
        }
        if (Files.isDirectory(path)) {
            return openFolder(path, channel);
        }
        if (ImageFile.isTiffName(path) || TiffFiles.hasTiffSignature(path)) {
            return new ImagePlusFrameSource(TiffFiles.openVirtual(path), channel, axis, path.toAbsolutePath().toString());
        }
        ImageFile file = ImageIoFiles.probe(path);
        checkSingleChannel(path, channel);
        return new FileListFrameSource(path.getFileName().toString(), List.of(file), "");
    }

    /**
     * The files {@link #open} reads for {@code path}: the file itself, or the images of a folder
     * (empty when the path does not exist or cannot be listed).
     */
    public static List<Path> files(Path path) {
        if (path == null || !Files.exists(path)) {
            return List.of();
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try {
            return imageFiles(path);
        } catch (InputException e) {
            return List.of();
        }
    }

    /**
     * Why {@code path} cannot be tracked as an image sequence (one line), or "" when it opens: for
     * batch macros, which check each file before tracking it
     * ({@code call("org.prdimp.fiji.io.FrameSources.problem", path)}).
     */
    public static String problem(String path) {
        try (FrameSource source = open(java.nio.file.Paths.get(path), 1, TrackingAxis.AUTO)) {
            return source.frameCount() < 2 ? source.description() + ": a single frame; tracking needs a time-lapse" : "";
        } catch (InputException | RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static FrameSource openFolder(Path folder, int channel) throws InputException {
        List<Path> paths = imageFiles(folder);
        if (paths.isEmpty()) {
            throw new InputException(folder.toAbsolutePath() + " holds no TIFF, PNG or JPEG images."
                    + " Choose " + KINDS + ".");
        }
        checkSingleChannel(folder, channel);
        List<ImageFile> files = new ArrayList<>(paths.size());
        ImageFile first = null;
        for (Path p : paths) {
            ImageFile f = ImageFile.probe(p);
            if (first == null) {
                first = f;
            } else if (f.width != first.width || f.height != first.height || f.type != first.type) {
                throw new InputException(p.toAbsolutePath() + " is " + f.sizeAndType() + " but " + first.path.getFileName()
                        + " is " + first.sizeAndType() + ": all images of a folder must have the same size and type."
                        + " Remove or convert the images that differ.");
            }
            files.add(f);
        }
        return new FileListFrameSource(folder.getFileName() + "/", files, " (folder of images)");
    }

    /** TIFF, PNG and JPEG files directly in the folder (hidden files skipped), in natural name order. */
    static List<Path> imageFiles(Path folder) throws InputException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(p -> isImageName(p.getFileName().toString()) && Files.isRegularFile(p)).forEach(out::add);
        } catch (IOException | RuntimeException e) {
            throw new InputException("Cannot list " + folder.toAbsolutePath() + ": " + InputException.reason(e)
                    + ". Check that the folder is readable.", e);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString(), NaturalOrder.INSTANCE));
        return out;
    }

    private static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".tif") || n.endsWith(".tiff") || n.endsWith(".png")
                || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    private static void checkSingleChannel(Path path, int channel) throws InputException {
        if (channel != 1) {
            throw new InputException(path.toAbsolutePath() + " has 1 channel, so channel " + channel
                    + " does not exist. Choose channel 1.");
        }
    }
}
