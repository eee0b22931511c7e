package org.prdimp.fiji.engine;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the front ends that live in one JVM (Fiji's command and macros, TrackMate's detector and
 * linker) open the engine: the model is loaded once per model folder and device and kept for the
 * next run, so a batch macro or a TrackMate session loads it once (a run that replaces tracker parameters
 * gets its own engine, kept per set of replaced parameters). Opening goes through
 * {@link TrackingEngine#pytorch()} (offline: libtorch comes from the native jar, nothing is
 * downloaded), notes an older JNA than the tested one and turns a link failure into the JNA
 * diagnosis ({@link JnaCheck}). Asking for another model or device closes the engines no run is
 * using; an engine still in use is closed when its last run returns its {@link Lease}.
 */
public final class SharedEngines {
    private static final Map<String, Entry> OPEN = new LinkedHashMap<>();

    private static final class Entry {
        final TrackingEngine engine;
        int users;
        boolean retired;

        Entry(TrackingEngine engine) {
            this.engine = engine;
        }
    }

    /** One run's use of a shared engine: closing it gives the engine back (it stays open for the next run). */
    public static final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public TrackingEngine engine() {
            return entry.engine;
        }

        @Override
        public void close() {
            synchronized (SharedEngines.class) {
                if (closed) {
                    return;
                }
                closed = true;
                entry.users--;
                if (entry.retired && entry.users == 0) {
                    entry.engine.close();
                }
            }
        }
    }

    private SharedEngines() {
    }

    /**
     * The engine for {@code model} on {@code device}, opened now or kept from an earlier run.
     *
     * @param notes receives a note (an older JNA than the tested one) when the engine is opened now
     * @throws ModelException the model folder or libtorch cannot be opened (JNA named when it is the cause)
     */
    public static Lease open(Path model, DeviceChoice device, List<String> notes) throws ModelException {
        return open(model, Map.of(), device, notes);
    }

    /**
     * The engine for {@code model} with some tracker parameters replaced ({@link ModelFolder#withTrackerOverrides},
     * key to value as {@link TrackerOverrides#parse} gives them; empty: the folder as written) on {@code device},
     * opened now or kept from an earlier run with the same folder, overrides and device. A run with overrides
     * never gets the engine of a run without them, nor the other way round.
     *
     * @param notes receives a note (an older JNA than the tested one) when the engine is opened now
     * @throws ModelException the model folder or libtorch cannot be opened (JNA named when it is the cause), or an
     *                        override is unknown or of the wrong kind
     */
    public static synchronized Lease open(Path model, Map<String, ?> overrides, DeviceChoice device, List<String> notes)
            throws ModelException {
        String replaced;
        try {
            replaced = TrackerOverrides.canonical(overrides);
        } catch (IllegalArgumentException e) {
            throw new ModelException(e.getMessage());
        }
        String key = model.toAbsolutePath().normalize() + "|" + device + "|" + replaced;
        Entry entry = OPEN.get(key);
        if (entry == null) {
            retireAll();
            String jna = JnaCheck.problem();
            if (jna != null) {
                notes.add(jna);
            }
            ModelFolder folder = ModelFolder.open(model);
            if (!overrides.isEmpty()) {
                try {
                    folder = folder.withTrackerOverrides(overrides);
                } catch (IllegalArgumentException e) {
                    throw new ModelException(e.getMessage());
                }
            }
            try {
                entry = new Entry(TrackingEngine.open(folder, device));
            } catch (LinkageError e) {
                throw new ModelException(JnaCheck.diagnosis(e), e);
            }
            OPEN.put(key, entry);
        }
        entry.users++;
        return new Lease(entry);
    }

    /** Closes the engines no run uses; the others are closed when their runs end. */
    private static void retireAll() {
        for (Iterator<Entry> it = OPEN.values().iterator(); it.hasNext();) {
            Entry e = it.next();
            it.remove();
            e.retired = true;
            if (e.users == 0) {
                e.engine.close();
            }
        }
    }
}
