/**
 * The Fiji front end: the menu command "PrDiMP Track" ({@code PrdimpTrack}) and the SciJava command
 * ({@code PrdimpTrackCommand}), both over one adapter ({@code ImageTracking}) that turns an image, its ROIs and the
 * options into a {@code run.TrackingSession} and its results into the table, ROI Manager, overlay, CSV, plot and
 * annotated stack; options ({@code TrackOptions}), targets and anchors ({@code InitialTargets}), macro errors; the menu
 * entries Check engine, PrDiMP Help and Open Samples. May import {@code run}, {@code engine}, {@code io},
 * {@code options}, {@code report}, {@code setup}, ImageJ and SciJava; never {@code cli}, {@code batch} or
 * {@code bench}.
 */
package org.prdimp.fiji.command;
