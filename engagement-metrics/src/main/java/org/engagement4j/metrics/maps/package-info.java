/**
 * Attention-map standardisation (crop, Gaussian blur and stride, bicubic resampling, min-max) and
 * map similarity metrics (Pearson, Spearman, histogram intersection, KL divergence, NSS, AUC-Judd).
 *
 * <p>Follows Bylinskii et al., "What do different evaluation metrics tell us about saliency models?",
 * IEEE TPAMI 2019, doi:10.1109/TPAMI.2018.2815601, as used by Fraile et al., ICMI 2022.
 */
package org.engagement4j.metrics.maps;
