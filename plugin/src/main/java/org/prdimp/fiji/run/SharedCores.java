package org.prdimp.fiji.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells a tracking run whether other runs share this machine's cores. Each run holds an exclusive
 * lock on its own marker file in {@code TMPDIR/prdimp-runs-USER} while it runs; a new run counts the
 * markers whose lock is held (by another process, or by another run in this JVM). Locks are released
 * by the operating system when a process dies, so a crashed run never counts; its stale marker is
 * removed by the next run. Never fails a run: without a usable temporary folder it counts nothing.
 */
public final class SharedCores implements AutoCloseable {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** Markers younger than this are never removed (their run may be about to lock them). */
    private static final long STALE_MILLIS = 10_000;

    private final Path marker;
    private final FileChannel channel;
    private final FileLock lock;
    private final int others;

    private SharedCores(Path marker, FileChannel channel, FileLock lock, int others) {
        this.marker = marker;
        this.channel = channel;
        this.lock = lock;
        this.others = others;
    }

    /** The folder of the markers. */
    static Path folder() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Paths.get(System.getProperty("java.io.tmpdir"), "prdimp-runs-" + user);
    }

    /** Registers this run; close it when the run ends. */
    public static SharedCores register() {
        Path dir = folder();
        try {
            Files.createDirectories(dir);
            int others = countRunning(dir);
            Path marker = dir.resolve("run-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + ".lock");
            FileChannel channel = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.lock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return new SharedCores(marker, channel, lock, others);
        } catch (IOException | RuntimeException e) {
            return new SharedCores(null, null, null, 0);
        }
    }

    private static int countRunning(Path dir) throws IOException {
        int running = 0;
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(dir, "run-*.lock")) {
            for (Path m : markers) {
                try (FileChannel c = FileChannel.open(m, StandardOpenOption.WRITE)) {
                    FileLock l = c.tryLock();
                    if (l == null) {
                        running++;
                    } else {
                        l.release();
                        if (System.currentTimeMillis() - Files.getLastModifiedTime(m).toMillis() > STALE_MILLIS) {
                            Files.deleteIfExists(m); // its run ended or died
                        }
                    }
                } catch (OverlappingFileLockException e) {
                    running++; // held by another run in this JVM
                } catch (IOException e) {
                    // vanished meanwhile, or not ours: not counted
                }
            }
        }
        return running;
    }

    /** Other runs on this machine at the time this one registered. */
    public int others() {
        return others;
    }

    /** One line for the user when other runs share the cores; null when none do. */
    public String note() {
        if (others == 0) {
            return null;
        }
        return others + " other PrDiMP run(s) are running on this machine: the " + Runtime.getRuntime().availableProcessors()
                + " cores are shared, so each run is slower (run them one after the other, or split the cores with"
                + " -Dai.djl.pytorch.num_threads=N in PRDIMP_JAVA_OPTS)";
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            lock.release();
            channel.close();
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            // the lock goes with the process; a stale marker is removed by a later run
        }
    }
}
