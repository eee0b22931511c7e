/**
 * The speed and memory benchmark ({@code prdimp bench}): synthetic scenes, per-call timings of the engine
 * ({@code SpeedBench}), batch scaling, heap use through a tracking session ({@code HeapBench}) and the report. May
 * import {@code run}, {@code engine}, {@code io}, {@code setup}, DJL and ImageJ's image classes; never a front end.
 */
package org.prdimp.fiji.bench;
