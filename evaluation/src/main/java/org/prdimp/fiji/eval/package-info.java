/**
 * The evaluation ({@code prdimp eval}, and {@code prdimp calibrate}): benchmark and procedural sequences, our
 * tracker through {@code run.TrackingSession} and the OpenCV, BoofCV and NanoTrack peers, per-sequence scores (frames
 * scored by {@code report.BoxScore}), curves and the report. May import the plugin's {@code engine},
 * {@code engine.calibration}, {@code io}, {@code run}, {@code report} and {@code setup} and the peers' libraries;
 * never the plugin's front ends ({@code cli}, {@code command}, {@code batch}).
 */
package org.prdimp.fiji.eval;
