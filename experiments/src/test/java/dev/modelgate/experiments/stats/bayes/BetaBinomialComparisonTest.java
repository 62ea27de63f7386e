package dev.modelgate.experiments.stats.bayes;

import dev.modelgate.experiments.stats.ProportionSummary;
import dev.modelgate.experiments.stats.decision.Direction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BetaBinomialComparisonTest {

    private final BetaBinomialComparison comparison = new BetaBinomialComparison();

    /*
     * Reference, Beta(1,1) prior; chance from Evan Miller's closed form (an independent method: a finite
     * sum, no integration), expected loss by scipy.integrate.quad of E[max(X-Y,0)] = ∫ F_Y(u)(1-F_X(u)) du:
     *   import numpy as np
     *   from scipy.special import betaln
     *   from scipy.stats import beta
     *   from scipy.integrate import quad
     *   def p_t_beats_c(ac, bc, at, bt):
     *       i = np.arange(at)
     *       return float(np.sum(np.exp(betaln(ac + i, bc + bt) - np.log(bt + i)
     *                                  - betaln(1 + i, bt) - betaln(ac, bc))))
     *   def loss(x, y):
     *       return quad(lambda u: y.cdf(u) * x.sf(u), 0, 1, points=[x.mean(), y.mean()], limit=500,
     *                   epsabs=1e-14, epsrel=1e-12)[0]
     *   for (nc, xc, nt, xt) in [(1000, 100, 1000, 125), (20, 3, 25, 2), (50000, 5000, 50000, 5150),
 *                            (5, 1, 5000000, 2500000), (10, 10, 10, 0)]:
     *       ac, bc, at, bt = 1 + xc, 1 + nc - xc, 1 + xt, 1 + nt - xt
     *       c, t = beta(ac, bc), beta(at, bt)
     *       print(nc, xc, nt, xt, p_t_beats_c(ac, bc, at, bt), loss(c, t), loss(t, c))
     * Output:
     *   1000 100 1000 125 0.9613611874576138 0.00021981832216845664 0.025169918122567664
     *   20 3 25 2 0.23547807311764 0.08394401602671293 0.01323694531964222
     *   50000 5000 50000 5150 0.941869923432469 4.755646427443477e-05 0.0030474364690742514
 *   5 1 5000000 2500000 0.890624861672559 0.010044666294633482 0.22433038058034782
 *   10 10 10 0 1.4175710770138037e-06 0.8333333949668583 6.163352508755661e-08
     * (A 4M-draw numpy Monte Carlo agrees to 3-4 digits.) The fourth case, a tiny arm against a huge one,
     * pits a wide posterior against a near-point mass; the last one is all-or-nothing.
     *
     * Lower is better (chargebacks, errors): the treatment beats the control when its rate is lower. Reference,
     * the same functions as above with the arms' roles swapped:
     *   for (nc, xc, nt, xt) in [(1000, 120, 1000, 100), (1000, 100, 1000, 125), (500, 153, 500, 36)]:
     *       ac, bc, at, bt = 1 + xc, 1 + nc - xc, 1 + xt, 1 + nt - xt
     *       c, t = beta(ac, bc), beta(at, bt)
     *       print(nc, xc, nt, xt, p_t_beats_c(at, bt, ac, bc), loss(t, c), loss(c, t))   # P(C > T), E[max(T-C,0)], E[max(C-T,0)]
     * Output:
     *   1000 120 1000 100 0.9231834389724246 0.00048461392635644436 0.020444693766675813
     *   1000 100 1000 125 0.038638812543686944 0.025169918122567664 0.00021981832216845664
     *   500 153 500 36 0.9999999999998848 3.43244996684769e-25 0.23306772908366533
     * The last is the demo's chargeback metric (30.6 % against 7.2 %): the challenger is almost surely better,
     * where a chance read as P(p_t > p_c) said 1e-22.
     */
    @ParameterizedTest
    @CsvSource({
            "HIGHER_IS_BETTER, 1000, 100, 1000, 125, 0.9613611874576138, 0.00021981832216845664, 0.025169918122567664",
            "HIGHER_IS_BETTER, 20, 3, 25, 2, 0.23547807311764, 0.08394401602671293, 0.01323694531964222",
            "HIGHER_IS_BETTER, 50000, 5000, 50000, 5150, 0.941869923432469, 4.755646427443477e-05, 0.0030474364690742514",
            "HIGHER_IS_BETTER, 5, 1, 5000000, 2500000, 0.890624861672559, 0.010044666294633482, 0.22433038058034782",
            "HIGHER_IS_BETTER, 10, 10, 10, 0, 1.4175710770138037e-06, 0.8333333949668583, 6.163352508755661e-08",
            "LOWER_IS_BETTER, 1000, 120, 1000, 100, 0.9231834389724246, 0.00048461392635644436, 0.020444693766675813",
            "LOWER_IS_BETTER, 1000, 100, 1000, 125, 0.038638812543686944, 0.025169918122567664, 0.00021981832216845664",
            "LOWER_IS_BETTER, 500, 153, 500, 36, 0.9999999999998848, 3.43244996684769e-25, 0.23306772908366533"})
    void matchesClosedFormChanceAndIntegratedExpectedLossInTheMetricsDirection(
            Direction direction, long nc, long xc, long nt, long xt, double chance, double lossTreatment, double lossControl) {
        BayesianResult result = comparison.compare(new ProportionSummary(nc, xc), new ProportionSummary(nt, xt), direction);

        assertThat(result.chanceToBeatControl()).isCloseTo(chance, within(1e-8));
        assertThat(result.expectedLossTreatment()).isCloseTo(lossTreatment, within(1e-9));
        assertThat(result.expectedLossControl()).isCloseTo(lossControl, within(1e-9));
    }
}
