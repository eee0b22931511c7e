package org.prdimp.fiji.engine;

import java.util.List;

/**
 * The tracking parameters of a model folder ({@code config.prdimp.tracker} in its rdf.yaml; values
 * of spec section 4), read once into plain fields.
 */
public final class TrackerParams {
    public final int cropSize;
    public final double searchAreaScale;
    public final int featureStride;
    public final int featureSize;
    public final int scoreSize;
    public final int filterSize;
    public final int inputChannels;

    public final int memorySize;
    public final double learningRate;
    public final double hardNegativeLearningRate;
    public final double initMinimumWeight;
    public final int initIterations;
    public final int updateIterations;
    public final int updateInterval;
    public final int hardNegativeIterations;

    public final double notFoundThreshold;
    public final double distractorThreshold;
    public final double hardNegativeThreshold;
    public final double neighbourhoodScale;
    public final double displacementScale;
    public final double minTargetInCrop;

    public final double augmentShift;
    public final double[][] augmentBlurs;
    public final double[] augmentRotationsDeg;
    public final int dropoutCopies;
    public final double dropoutProbability;

    public final int refineProposals;
    public final double refineJitterPosition;
    public final double refineJitterSize;
    public final int refineSteps;
    public final double refineStepLength;
    public final double refineMaxAspect;
    public final int refineTopK;
    /**
     * How far a frame's refined box moves the target from the box at the classifier's peak (optional
     * tracker parameters {@code box_refinement_position_rate} and {@code box_refinement_size_rate}, 1 by
     * default, as in PrDiMP): centre = peak + rate x (refined centre - peak); width and height =
     * current x (refined / current)^rate. Below 1 they damp a box regressor that is right on average
     * but noisy frame to frame; 0 and 0 is the classifier's position with a fixed size.
     */
    public final double refinePositionRate;
    public final double refineSizeRate;
    /**
     * The size rate for targets in colour sources (natural video; the rule of
     * {@link MultiTargetTracker#colourSource}): optional tracker parameter
     * {@code box_refinement_size_rate_colour}, by default {@link #refineSizeRate}.
     */
    public final double refineSizeRateColour;
    /** False for models with an untrained box regressor: the box keeps its size, the position comes from the peak. */
    public final boolean boxRefinement;
    /**
     * Recovery after a loss: the largest widening of the search area's side (optional tracker parameter
     * {@code recovery_max_widening}; 1, the default, turns the widening off: on the validation sequences
     * widening by 2 after 3 or 10 lost frames lost more targets than it re-found, see MultiTargetTracker).
     */
    public final double recoveryMaxWidening;
    /**
     * Standard deviation of the Gaussian motion prior in target sizes (optional tracker parameter
     * {@code motion_prior_sigma}; 0, the default, turns it off): see {@link MotionPrior}.
     */
    public final double motionPriorSigma;

    /**
     * Engine safeguard (not a PrDiMP parameter): the target size may change at most by this factor
     * from its initial size, so a run-away box refinement cannot blow the search region up.
     */
    public static final double MAX_SIZE_CHANGE = 5.0;

    public TrackerParams(ModelFolder m) {
        cropSize = m.intParam("crop_size");
        searchAreaScale = m.param("search_area_scale");
        featureStride = m.intParam("feature_stride");
        featureSize = m.intParam("feature_size");
        scoreSize = m.intParam("score_size");
        filterSize = m.intParam("filter_size");
        inputChannels = m.inputChannels();
        memorySize = m.intParam("sample_memory_size");
        learningRate = m.param("learning_rate");
        hardNegativeLearningRate = m.param("hard_negative_learning_rate");
        initMinimumWeight = m.param("init_samples_minimum_weight");
        initIterations = m.intParam("init_optimizer_iterations");
        updateIterations = m.intParam("update_optimizer_iterations");
        updateInterval = m.intParam("update_interval");
        hardNegativeIterations = m.intParam("hard_negative_optimizer_iterations");
        notFoundThreshold = m.param("target_not_found_threshold");
        distractorThreshold = m.param("distractor_threshold");
        hardNegativeThreshold = m.param("hard_negative_threshold");
        neighbourhoodScale = m.param("target_neighborhood_scale");
        displacementScale = m.param("displacement_scale");
        minTargetInCrop = m.param("minimum_target_size_in_crop");
        augmentShift = m.param("init_augmentation_shift");
        List<?> blurs = m.listParam("init_augmentation_blurs");
        augmentBlurs = new double[blurs.size()][];
        for (int i = 0; i < blurs.size(); i++) {
            List<?> b = (List<?>) blurs.get(i);
            augmentBlurs[i] = new double[] {((Number) b.get(0)).doubleValue(), ((Number) b.get(1)).doubleValue()};
        }
        List<?> rot = m.listParam("init_augmentation_rotations");
        augmentRotationsDeg = new double[rot.size()];
        for (int i = 0; i < rot.size(); i++) {
            augmentRotationsDeg[i] = ((Number) rot.get(i)).doubleValue();
        }
        List<?> drop = m.listParam("init_augmentation_dropout");
        dropoutCopies = ((Number) drop.get(0)).intValue();
        dropoutProbability = ((Number) drop.get(1)).doubleValue();
        refineProposals = m.intParam("box_refinement_proposals");
        refineJitterPosition = m.param("box_refinement_jitter_position");
        refineJitterSize = m.param("box_refinement_jitter_size");
        refineSteps = m.intParam("box_refinement_steps");
        refineStepLength = m.param("box_refinement_step_length");
        refineMaxAspect = m.param("box_refinement_max_aspect_ratio");
        refineTopK = m.intParam("box_refinement_top_k");
        boxRefinement = m.flag("box_refinement", true);
        refinePositionRate = clamp01(m.param("box_refinement_position_rate", 1));
        refineSizeRate = clamp01(m.param("box_refinement_size_rate", 1));
        refineSizeRateColour = clamp01(m.param("box_refinement_size_rate_colour", refineSizeRate));
        recoveryMaxWidening = Math.max(1, m.param("recovery_max_widening", 1));
        motionPriorSigma = Math.max(0, m.param("motion_prior_sigma", 0));
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /** Number of initial training samples: identity, shifts, flip, blurs, rotations, dropout copies. */
    public int initSampleCount() {
        return InitAugmentation.cropCount(this) + dropoutCopies;
    }
}
