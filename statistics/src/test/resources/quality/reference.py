"""Reference values of QualityReferenceTest, computed from the rows with numpy/scipy only.

Run: python3 statistics/src/test/resources/quality/reference.py  (numpy 2.4.6, scipy 1.17.1)
Every computation here works on individual rows, following the published definitions (and the
algorithms of scikit-learn and NannyML re-implemented on rows), not on the Java code's grouped cells.
"""
import numpy as np
from scipy import stats

rng = np.random.default_rng(18)
r = lambda x: repr(float(x))
fmt = lambda a: ", ".join(repr(float(x)) if isinstance(x, (float, np.floating)) else str(int(x)) for x in a)

# ---------------------------------------------------------------- binary
n = 80
score = np.round(rng.beta(2, 3, n), 2)          # two decimals: ties, and exact in Java literals
label = (rng.random(n) < score).astype(int)
print("binary scores:", fmt(score))
print("binary labels:", fmt(label))

pos, neg = score[label == 1], score[label == 0]
auc = stats.mannwhitneyu(pos, neg).statistic / (len(pos) * len(neg))
# DeLong et al. 1988 with midranks (Sun & Xu 2014, "fast DeLong")
def midrank(x):
    return stats.rankdata(x, method="average")
m, k = len(pos), len(neg)
tx, ty, tz = midrank(pos), midrank(neg), midrank(np.concatenate([pos, neg]))
v01 = (tz[:m] - tx) / k           # placements of positives
v10 = 1.0 - (tz[m:] - ty) / m     # placements of negatives
delong_var = np.var(v01, ddof=1) / m + np.var(v10, ddof=1) / k
print("roc_auc", r(auc), "delong_se", r(np.sqrt(delong_var)))

# average precision: scikit-learn's precision_recall_curve / average_precision_score on rows
order = np.argsort(-score, kind="mergesort")
s_sorted, y_sorted = score[order], label[order]
distinct = np.where(np.diff(s_sorted))[0]
idx = np.r_[distinct, n - 1]
tps = np.cumsum(y_sorted)[idx]
fps = 1 + idx - tps
precision = tps / (tps + fps)
recall = tps / tps[-1]
ap = np.sum(np.diff(np.r_[0, recall]) * precision)
print("average_precision", r(ap))

eps = 1e-15
p = np.clip(score, eps, 1 - eps)
ll_rows = -(label * np.log(p) + (1 - label) * np.log(1 - p))
br_rows = (score - label) ** 2
print("log_loss", r(ll_rows.mean()), "se", r(ll_rows.std(ddof=1) / np.sqrt(n)))
print("brier", r(br_rows.mean()), "se", r(br_rows.std(ddof=1) / np.sqrt(n)))

threshold = 0.5
pred = (score >= threshold).astype(int)
tp = int(np.sum((pred == 1) & (label == 1))); fp = int(np.sum((pred == 1) & (label == 0)))
tn = int(np.sum((pred == 0) & (label == 0))); fn = int(np.sum((pred == 0) & (label == 1)))
print("confusion tp fp tn fn", tp, fp, tn, fn)
for name, kk, nn in (("accuracy", tp + tn, n), ("precision", tp, tp + fp), ("recall", tp, tp + fn)):
    ci = stats.binomtest(kk, nn).proportion_ci(confidence_level=0.95, method="wilson")
    print(name, r(kk / nn), "wilson", r(ci.low), r(ci.high))
print("f1", r(2 * tp / (2 * tp + fp + fn)))

# reliability curve: scikit-learn's calibration_curve(strategy="uniform", n_bins=10) on rows
bins = np.linspace(0.0, 1.0, 11)
binids = np.searchsorted(bins[1:-1], score)
bin_sums = np.bincount(binids, weights=score, minlength=10)
bin_true = np.bincount(binids, weights=label, minlength=10)
bin_total = np.bincount(binids, minlength=10)
nz = bin_total != 0
prob_true, prob_pred = bin_true[nz] / bin_total[nz], bin_sums[nz] / bin_total[nz]
ece = np.sum(bin_total[nz] / n * np.abs(prob_pred - prob_true))
print("reliability counts", fmt(bin_total[nz]))
print("reliability mean_score", fmt(prob_pred))
print("reliability fraction_positive", fmt(prob_true))
print("ece", r(ece))

# ---------------------------------------------------------------- CBPE (NannyML's estimate_roc_auc on rows)
def nannyml_roc_auc(y_pred_proba):
    thresholds = np.sort(y_pred_proba)
    one_min = 1 - thresholds
    TP = np.cumsum(thresholds[::-1])[::-1]
    FP = np.cumsum(one_min[::-1])[::-1]
    FN = np.cumsum(np.insert(thresholds, 0, 0)[:-1])
    TN = np.cumsum(np.insert(one_min, 0, 0)[:-1])
    keep = np.diff(np.append(thresholds, 2)).astype(bool)
    TP, FP, FN, TN = TP[keep], FP[keep], FN[keep], TN[keep]
    tpr = np.r_[TP / (TP + FN), 0]
    fpr = np.r_[FP / (FP + TN), 0]
    return -np.trapezoid(tpr, fpr)
# NannyML keeps the last row of a run of tied scores, which splits the tie group between TP and FN;
# the Java code treats a tie as one threshold (as scikit-learn's roc_curve does). On tie-free scores
# both are the same curve, so NannyML's own algorithm is the reference there ...
cbpe_scores = np.unique(np.round(np.random.default_rng(1818).beta(2, 3, 60), 4))
print("cbpe scores:", fmt(cbpe_scores))
print("cbpe nannyml roc_auc (tie-free)", r(nannyml_roc_auc(cbpe_scores)))
# ... and with ties, the expected ROC curve on distinct thresholds, from rows:
def expected_roc_auc_distinct(p):
    ts = np.unique(p)[::-1]
    tpr = np.r_[0, [p[p >= t].sum() / p.sum() for t in ts]]
    fpr = np.r_[0, [(1 - p[p >= t]).sum() / (1 - p).sum() for t in ts]]
    return np.trapezoid(tpr, fpr)
est_auc = expected_roc_auc_distinct(score)
pp = score >= threshold
e_tp, e_fp = score[pp].sum(), (1 - score[pp]).sum()
e_fn, e_tn = score[~pp].sum(), (1 - score[~pp]).sum()
P = e_tp + e_fn
Q1, Q2 = est_auc / (2 - est_auc), 2 * est_auc ** 2 / (1 + est_auc)
hm_se = np.sqrt((est_auc * (1 - est_auc) + (P - 1) * (Q1 - est_auc ** 2) + (n - P - 1) * (Q2 - est_auc ** 2)) / (P * (n - P)))
print("cbpe roc_auc", r(est_auc), "hanley_mcneil_se", r(hm_se))
print("cbpe accuracy", r((e_tp + e_tn) / n), "se", r(np.sqrt(np.sum(score * (1 - score))) / n))
print("cbpe precision", r(e_tp / (e_tp + e_fp)), "recall", r(e_tp / P), "f1", r(2 * e_tp / (2 * e_tp + e_fp + e_fn)))

# Hanley & McNeil (1982) eq. 2 for A = 0.8 with 50 positives and 50 negatives
A = 0.8
q1, q2 = A / (2 - A), 2 * A * A / (1 + A)
print("hanley_mcneil example se", r(np.sqrt((A * (1 - A) + 49 * (q1 - A * A) + 49 * (q2 - A * A)) / 2500)))

# ---------------------------------------------------------------- multiclass
nm, kcls = 60, 3
probs = np.round(rng.dirichlet([2, 2, 2], nm), 3)
truth = np.array([rng.choice(3, p=row / row.sum()) for row in probs])
predicted = probs.argmax(axis=1)
print("multiclass truth:", fmt(truth))
print("multiclass predicted:", fmt(predicted))
print("multiclass p_true:", fmt(probs[np.arange(nm), truth]))
f1s = []
for c in sorted(set(truth) | set(predicted)):
    tpc = np.sum((truth == c) & (predicted == c)); fpc = np.sum((truth != c) & (predicted == c)); fnc = np.sum((truth == c) & (predicted != c))
    f1s.append(2 * tpc / (2 * tpc + fpc + fnc))
mll = -np.log(np.clip(probs[np.arange(nm), truth], eps, 1 - eps))
print("multiclass accuracy", r(np.mean(truth == predicted)), "macro_f1", r(np.mean(f1s)),
      "log_loss", r(mll.mean()), "se", r(mll.std(ddof=1) / np.sqrt(nm)))

# ---------------------------------------------------------------- regression
nr = 50
y = np.round(rng.normal(10, 3, nr), 2)
yhat = np.round(y + rng.normal(0.3, 1.5, nr), 2)
print("regression y:", fmt(y))
print("regression yhat:", fmt(yhat))
e = y - yhat
ae = np.abs(e)
ape = ae / np.maximum(np.abs(y), np.finfo(np.float64).eps)
mse = np.mean(e ** 2)
rmse = np.sqrt(mse)
V = np.var(y)
r2 = 1 - np.sum(e ** 2) / np.sum((y - y.mean()) ** 2)
IF = (-(e ** 2 - mse) + mse / V * ((y - y.mean()) ** 2 - V)) / V
print("mae", r(ae.mean()), "se", r(ae.std(ddof=1) / np.sqrt(nr)))
print("rmse", r(rmse), "se", r((e ** 2).std(ddof=1) / np.sqrt(nr) / (2 * rmse)))
print("mape", r(ape.mean()), "se", r(ape.std(ddof=1) / np.sqrt(nr)))
print("r2", r(r2), "se", r(np.sqrt(np.sum(IF ** 2)) / nr))

# ---------------------------------------------------------------- two-proportion test: 180/200 vs 160/200
table = np.array([[180, 20], [160, 40]])
chi2, p_two, _, _ = stats.chi2_contingency(table, correction=False)
print("two-proportion z", r(np.sqrt(chi2)), "one-sided p", r(p_two / 2))
