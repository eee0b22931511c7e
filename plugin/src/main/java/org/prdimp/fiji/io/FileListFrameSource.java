package org.prdimp.fiji.io;

import java.nio.file.Path;
import java.util.List;

/** Frames stored one per file (a folder of images, or a single image); each file is decoded when its frame is read. */
final class FileListFrameSource implements FrameSource {
    private final String name;
    private final ImageFile[] files;
    private final String origin;
    private volatile boolean closed;

    /** @param files probed files, all of one size and type (checked by the caller) */
    FileListFrameSource(String name, List<ImageFile> files, String origin) {
        this.name = name;
        this.files = files.toArray(new ImageFile[0]);
        this.origin = origin;
    }

    @Override
    public int frameCount() {
        return files.length;
    }

    @Override
    public int width() {
        return files[0].width;
    }

    @Override
    public int height() {
        return files[0].height;
    }

    @Override
    public int channels() {
        return files[0].type.channels;
    }

    @Override
    public String description() {
        return name + ": " + files.length + (files.length == 1 ? " frame" : " frames") + " of " + width() + "x" + height()
                + ", " + files[0].type.label + origin;
    }

    /** The file frame {@code index} is read from. */
    Path file(int index) {
        return files[index].path;
    }

    @Override
    public float[][] readRaw(int index) throws InputException {
        if (closed) {
            throw new IllegalStateException("frame source of " + name + " is closed");
        }
        if (index < 0 || index >= files.length) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + files.length + " in " + name);
        }
        return files[index].read();
    }

    @Override
    public void close() {
        closed = true;
    }
}
