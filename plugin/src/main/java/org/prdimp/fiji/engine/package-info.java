/**
 * The tracking engine: model folders ({@code ModelFolder}, sha256-checked) and the DJL wrapper of the TorchScript
 * methods ({@code TrackerNetwork}), libtorch loading (offline, per-platform natives, the cache: {@code NativeLibs},
 * {@code LibtorchCache}, {@code JnaCheck}), device choice ({@code TrackingEngine}, {@code DeviceChoice}), the engine
 * each JVM shares per model and device ({@code SharedEngines}), and the PrDiMP procedure ({@code MultiTargetTracker},
 * {@code PeakAnalysis}, {@code SampleWeights}, {@code InitAugmentation}, {@code CropSampler}, {@code IntensityNormalizer}).
 * May import DJL, SnakeYAML and its calibration ({@code engine.calibration}); never ImageJ, SciJava or another
 * package of the plugin.
 */
package org.prdimp.fiji.engine;
