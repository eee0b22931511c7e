/**
 * Reports on tracked results: the ground truth CSV ({@code GroundTruth}), the project's one scoring convention
 * ({@code BoxScore}, inclusive pixel corners), the demo's accuracy summary ({@code TrackAccuracy}), the annotated RGB
 * stack and the confidence plot. May import {@code engine} and ImageJ's image and plot classes.
 */
package org.prdimp.fiji.report;
