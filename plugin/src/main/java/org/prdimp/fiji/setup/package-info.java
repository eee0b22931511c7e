/**
 * What this installation and this computer have: where the bundled model is ({@code ModelLocator}), the doctor's
 * report ({@code Doctor}, for {@code prdimp doctor} and Fiji's Check engine), the CUDA libraries a GPU needs
 * ({@code CudaCheck}) and the machine description the benchmark and evaluation reports print ({@code Machine}). May
 * import {@code engine} (with its calibration, which the doctor prints) and DJL; no front end.
 */
package org.prdimp.fiji.setup;
