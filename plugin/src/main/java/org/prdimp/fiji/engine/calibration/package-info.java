/**
 * The confidence calibration of a model ({@code calibration.json} beside it): the evidence features of a tracked
 * frame, the logistic map to P(IoU &gt;= 0.5), the state thresholds, the fit and the reliability measures. May import
 * {@code engine} (its state types) and SnakeYAML; the engine imports it back (a known cycle, see
 * {@code PackageCyclesTest}).
 */
package org.prdimp.fiji.engine.calibration;
