/**
 * The TrackMate module: the PrDiMP detector (the seeded boxes tracked through a {@code run.TrackingSession}, one
 * spot per target and frame) and the PrDiMP linker (one batched tracker for all tracks, {@code GreedyLinking} for the
 * assignment and gap closing), their settings, panels and features. May import TrackMate, imglib2, ImageJ and SciJava,
 * and the plugin's {@code run}, {@code engine}, {@code io} and {@code setup}; never the plugin's front ends.
 */
package org.prdimp.fiji.trackmate;
