/**
 * Image input: multi-page TIFF (lazy, one page per frame), image folders, {@code ImagePlus} stacks, virtual stacks
 * and hyperstacks ({@code FrameSources}, {@code ImagePlusFrameSource}), frame size limits and per-sequence
 * intensity normalisation ({@code NormalizedFrames}). May import {@code engine} (frames) and ImageJ's image and I/O
 * classes; nothing above it.
 */
package org.prdimp.fiji.io;
