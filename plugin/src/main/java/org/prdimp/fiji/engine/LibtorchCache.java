package org.prdimp.fiji.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;

/**
 * Checks DJL's libtorch cache ({@code ~/.djl.ai/pytorch/VERSION-FLAVOR-CLASSIFIER}, or under
 * {@code DJL_CACHE_DIR} / {@code ENGINE_CACHE_DIR}) before libtorch is loaded. A cut-off or damaged
 * library there would be memory-mapped by the JVM and kill it with SIGBUS, which Java cannot catch;
 * so every cached library is compared with the one it was unpacked from (the native jars on the
 * class path): same size and an ELF header. A cache that must be unpacked but cannot be written is
 * reported as such. Where the libraries do not come from the class path (PYTORCH_LIBRARY_PATH, a
 * download) nothing is checked.
 */
public final class LibtorchCache {
    private static final String PROPERTIES = "native/lib/pytorch.properties";

    private LibtorchCache() {
    }

    /** The folder DJL unpacks libtorch into, or null when libtorch does not come from the class path. */
    public static Path folder() {
        Properties p = nativeProperties();
        if (p == null || overridden()) {
            return null;
        }
        return Utils.getEngineCacheDir("pytorch").resolve(p.getProperty("version") + "-" + p.getProperty("flavor") + "-"
                + p.getProperty("classifier"));
    }

    /**
     * Checks the cache.
     *
     * @throws ModelException naming the damaged file and the folder to delete, or the folder that cannot be written
     */
    public static void check() throws ModelException {
        Properties p = nativeProperties();
        Path dir = folder();
        if (p == null || dir == null) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            checkWritable(dir);
            return;
        }
        String flavor = p.getProperty("flavor");
        String classifier = p.getProperty("classifier");
        for (String lib : p.getProperty("libraries", "").split(",")) {
            if (!lib.trim().isEmpty()) {
                compare(dir, dir.resolve(lib.trim()), "pytorch/" + flavor + "/" + classifier + "/" + lib.trim(), true);
            }
        }
        String jniFlavor = flavor.startsWith("cu") ? flavor : "cpu";
        compare(dir, dir.resolve(Engine.getDjlVersion() + "-libdjl_torch.so"),
                "jnilib/" + classifier + "/" + jniFlavor + "/libdjl_torch.so", false);
    }

    private static void compare(Path dir, Path cached, String resource, boolean required) throws ModelException {
        long expected = resourceSize(resource);
        if (expected < 0) {
            return; // not on the class path: nothing to compare with
        }
        if (!Files.exists(cached)) {
            if (required) {
                throw corrupt(dir, cached.getFileName() + " is missing");
            }
            return; // DJL unpacks the JNI library when it is absent
        }
        long size;
        byte[] head = new byte[4];
        int read;
        try (InputStream in = Files.newInputStream(cached)) {
            size = Files.size(cached);
            read = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            throw corrupt(dir, cached.getFileName() + " cannot be read (" + e.getMessage() + ")");
        }
        if (size != expected) {
            throw corrupt(dir, cached.getFileName() + " is " + size + " bytes, it should be " + expected);
        }
        if (read < 4 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
            throw corrupt(dir, cached.getFileName() + " is not a native library (no ELF header)");
        }
    }

    private static ModelException corrupt(Path dir, String what) {
        return new ModelException("the libtorch cache " + dir + " is damaged (" + what + "); delete that folder"
                + " (rm -r '" + dir + "') and run again: libtorch is unpacked anew from the plugin's jars");
    }

    /** A cache folder that does not exist yet must be creatable: libtorch (about 450 MB) is unpacked there once. */
    private static void checkWritable(Path dir) throws ModelException {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        String why = null;
        if (existing == null) {
            why = "no part of the path exists";
        } else if (!Files.isDirectory(existing)) {
            why = existing + " is a file, not a folder";
        } else if (!Files.isWritable(existing)) {
            why = existing + " is not writable";
        }
        if (why != null) {
            throw unwritable(dir, why);
        }
    }

    /** The message for a libtorch cache that cannot be written. */
    public static ModelException unwritable(Path dir, String why) {
        return new ModelException("the libtorch cache folder " + dir + " cannot be written (" + why + "); make it"
                + " writable, or set DJL_CACHE_DIR to a writable folder (libtorch, about 450 MB, is unpacked there once)");
    }

    private static boolean overridden() {
        return System.getenv("PYTORCH_LIBRARY_PATH") != null || System.getProperty("PYTORCH_LIBRARY_PATH") != null;
    }

    private static Properties nativeProperties() {
        URL url = LibtorchCache.class.getClassLoader().getResource(PROPERTIES);
        if (url == null) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        } catch (IOException e) {
            return null;
        }
        return p.getProperty("version") == null || p.getProperty("flavor") == null || p.getProperty("classifier") == null
                ? null : p;
    }

    private static long resourceSize(String name) {
        URL url = LibtorchCache.class.getClassLoader().getResource(name);
        if (url == null) {
            return -1;
        }
        try {
            URLConnection c = url.openConnection();
            return c.getContentLengthLong();
        } catch (IOException e) {
            return -1;
        }
    }
}
