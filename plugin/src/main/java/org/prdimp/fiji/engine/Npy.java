package org.prdimp.fiji.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads little-endian float32 NumPy .npy files (the format of the golden tensors). */
public final class Npy {
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    public final long[] shape;
    public final float[] data;

    private Npy(long[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    public static Npy read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        buf.get(magic);
        if (magic[0] != (byte) 0x93 || !"NUMPY".equals(new String(magic, 1, 5, StandardCharsets.US_ASCII))) {
            throw new IOException(file + " is not a .npy file");
        }
        int major = buf.get();
        buf.get();
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
        byte[] header = new byte[headerLen];
        buf.get(header);
        String h = new String(header, StandardCharsets.US_ASCII);
        if (!h.contains("'descr': '<f4'") || h.contains("'fortran_order': True")) {
            throw new IOException(file + ": only little-endian float32 C-order arrays are supported (" + h.trim() + ")");
        }
        Matcher m = SHAPE.matcher(h);
        if (!m.find()) {
            throw new IOException(file + ": no shape in header");
        }
        String[] dims = m.group(1).split(",");
        int rank = 0;
        long[] tmp = new long[dims.length];
        for (String d : dims) {
            if (!d.trim().isEmpty()) {
                tmp[rank++] = Long.parseLong(d.trim());
            }
        }
        long[] shape = java.util.Arrays.copyOf(tmp, rank);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] data = new float[(int) n];
        buf.asFloatBuffer().get(data);
        return new Npy(shape, data);
    }
}
