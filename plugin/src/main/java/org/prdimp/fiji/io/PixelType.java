package org.prdimp.fiji.io;

/** The pixel types a frame source delivers. */
enum PixelType {
    GREY8(1, "8-bit greyscale"),
    GREY16(1, "16-bit greyscale"),
    GREY32(1, "32-bit greyscale"),
    RGB(3, "RGB"),
    RGB16(3, "16-bit RGB");

    final int channels;
    final String label;

    PixelType(int channels, String label) {
        this.channels = channels;
        this.label = label;
    }
}
