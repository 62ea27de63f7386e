package dev.modelgate.drift.stats;

/**
 * Population Stability Index, Σ (c_i − r_i) · ln(c_i / r_i), over aligned cells.
 *
 * <p>An empty cell on either side would make the index infinite; like Evidently, a proportion of
 * exactly zero is replaced by {@link #EMPTY_CELL_PROPORTION} (10⁻⁴, i.e. "one in ten thousand") and the
 * other proportions are left as they are. Rules of thumb: &lt; 0.1 stable, 0.1–0.25 moderate shift,
 * &gt; 0.25 significant shift.
 */
public final class PopulationStabilityIndex {

    public static final double EMPTY_CELL_PROPORTION = 1e-4;

    public double index(double[] reference, double[] current) {
        double[] r = Distributions.normalised("reference", reference);
        double[] c = Distributions.normalised("current", current);
        Distributions.requireSameLength(r, c);
        double psi = 0.0;
        for (int i = 0; i < r.length; i++) {
            double ri = r[i] == 0.0 ? EMPTY_CELL_PROPORTION : r[i];
            double ci = c[i] == 0.0 ? EMPTY_CELL_PROPORTION : c[i];
            psi += (ci - ri) * Math.log(ci / ri);
        }
        return psi;
    }
}
