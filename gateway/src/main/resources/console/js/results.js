// Results of an A/B test or canary: SRM banner, decisions, and per metric the effects with their
// intervals (chart and table), p-values, chance to beat, sample-size progress, and the history.
import { api, ApiError } from './api.js';
import { badge, fixed, h, pValue, percent, table, when } from './dom.js';
import { forestPlot, timeChart } from './charts.js';

const enc = encodeURIComponent;

function signedPercent(value) {
  if (value === null || value === undefined) {
    return '–';
  }
  return `${value >= 0 ? '+' : ''}${(100 * value).toFixed(2)} %`;
}

function interval(effect, format) {
  return effect ? `[${format(effect.ci_low)}, ${format(effect.ci_high)}]` : '–';
}

export async function resultsSection(name) {
  let results;
  try {
    results = await api('GET', `/admin/experiments/${enc(name)}/results`);
  } catch (e) {
    return h('section', { 'aria-labelledby': 'results-title', id: 'results' },
      h('h2', { id: 'results-title' }, 'Results'),
      h('p', { role: 'alert' }, e instanceof ApiError ? `Results unavailable (${e.status}): ${e.message}` : String(e)));
  }
  const history = await api('GET', `/admin/experiments/${enc(name)}/results/history?limit=2000`).catch(() => null);
  const body = h('div', { id: 'results-body' },
    h('p', { class: 'meta' }, `Computed ${when(results.computed_at)}${results.since ? ` over units since ${when(results.since)}` : ''}; α = ${results.alpha}; control ${results.control}.`),
    decisions(results),
    results.metrics.length === 0
      ? h('p', {}, 'This experiment declares no metrics: add one (e.g. a binary "converted" from feedback) to see effects.')
      : results.metrics.map((metric) => metricSection(results, metric, history)));
  const section = h('section', { 'aria-labelledby': 'results-title', id: 'results' }, h('h2', { id: 'results-title' }, 'Results'));
  if (results.srm.alarm) {
    // a sample-ratio mismatch makes every number below suspect: they stay hidden until acknowledged
    body.inert = true;
    body.classList.add('blocked');
    const show = h('button', { type: 'button', id: 'srm-acknowledge', class: 'secondary' }, 'Show the results anyway');
    const banner = h('div', { class: 'banner bad', role: 'alert', id: 'srm-banner' },
      h('h3', {}, 'Sample ratio mismatch'),
      h('p', {}, `Units per variant (${Object.entries(results.srm.units).map(([v, n]) => `${v}: ${n}`).join(', ')}) do not match the configured weights (${Object.entries(results.srm.weights).map(([v, w]) => `${v}: ${w} %`).join(', ')}); χ² p = ${results.srm.p_value === null ? '–' : results.srm.p_value.toExponential(2)}. Assignment or logging is broken: do not read the effects until the cause is found.`),
      show);
    show.addEventListener('click', () => {
      body.inert = false;
      body.classList.remove('blocked');
      show.remove();
    });
    section.append(banner);
  } else {
    section.append(h('p', { id: 'srm-state' }, badge('no sample ratio mismatch', 'ok'),
      ` χ² p = ${results.srm.p_value === null ? '–' : results.srm.p_value.toFixed(4)}`));
  }
  section.append(body);
  return section;
}

function decisions(results) {
  if (results.decisions.length === 0) {
    return h('p', {}, 'No decision yet.');
  }
  return h('ul', { class: 'decisions', id: 'decisions' }, results.decisions.map((d) => h('li', { 'data-variant': d.variant },
    h('strong', {}, d.variant), ': ', badge(d.decision.replace('_', ' '), { ship: 'ok', stop: 'bad', keep_running: 'warn' }[d.decision]),
    h('ul', {}, d.reasons.map((reason) => h('li', {}, reason))))));
}

function metricSection(results, metric, history) {
  const rate = metric.kind === 'binary';
  const estimate = (v) => (rate ? percent(v, 2) : fixed(v, 4));
  const treatments = metric.variants.filter((v) => !v.control);
  const useLift = treatments.every((v) => v.lift);
  const effectOf = (v) => (useLift ? v.lift : v.difference);
  const format = useLift ? signedPercent : (v) => fixed(v, 4);
  const rows = treatments.map((v) => {
    const effect = effectOf(v);
    const sequential = v.sequential ? (useLift ? v.sequential.lift : v.sequential.difference) : null;
    return {
      label: v.variant,
      estimate: effect ? effect.estimate : null,
      low: effect ? effect.ci_low : null,
      high: effect ? effect.ci_high : null,
      seqLow: sequential ? sequential.ci_low : null,
      seqHigh: sequential ? sequential.ci_high : null,
      text: effect ? `${v.variant}: ${useLift ? 'lift' : 'difference'} ${format(effect.estimate)}, 95 % CI ${format(effect.ci_low)} to ${format(effect.ci_high)}` : `${v.variant}: no estimate yet`,
    };
  });
  const id = `metric-${metric.name}`;
  const tableRows = metric.variants.map((v) => [
    v.control ? `${v.variant} (control)` : v.variant,
    String(v.n),
    estimate(v.estimate),
    v.lift ? signedPercent(v.lift.estimate) : '–',
    interval(v.lift, signedPercent),
    v.sequential ? interval(v.sequential.lift, signedPercent) : '–',
    v.difference ? interval(v.difference, (x) => fixed(x, 4)) : '–',
    pValue(v.p_value), pValue(v.p_value_holm),
    v.sequential ? pValue(v.sequential.p_value) : '–', v.sequential ? pValue(v.sequential.p_value_holm) : '–',
    v.chance_to_beat === null || v.chance_to_beat === undefined ? '–' : percent(v.chance_to_beat, 1),
  ]);
  return h('section', { class: 'metric', id, 'aria-labelledby': `${id}-title`, 'data-metric': metric.name },
    h('h3', { id: `${id}-title` }, `Metric ${metric.name}`),
    h('p', { class: 'meta' }, `${metric.kind}, ${metric.direction} is better, from ${metric.source}${metric.guardrail ? ', guardrail' : ''}${metric.minimum_detectable_effect ? `, minimum detectable effect ${percent(metric.minimum_detectable_effect, 1)}` : ''}.`),
    progress(metric),
    rows.length ? forestPlot(`${metric.name}: ${useLift ? 'lift' : 'difference'} vs ${results.control}`, rows, format) : null,
    table(`${metric.name} per variant`, ['Variant', 'Units', rate ? 'Rate' : 'Mean', 'Lift', 'Lift 95 % CI', 'Lift always-valid CI',
      'Difference 95 % CI', 'p (fixed)', 'p (fixed, Holm)', 'p (always-valid)', 'p (always-valid, Holm)', 'Chance to beat'],
    tableRows, { class: 'results-table', 'data-metric': metric.name }),
    overTime(metric, results, history));
}

function progress(metric) {
  if (!metric.plan) {
    return null;
  }
  const smallest = Math.min(...metric.variants.map((v) => v.n));
  const required = metric.plan.required_per_variant;
  const days = metric.plan.days_remaining;
  return h('div', { class: 'progress' },
    h('label', { for: `progress-${metric.name}` }, `Sample size: ${smallest} of ${required} units per variant`),
    h('progress', { id: `progress-${metric.name}`, max: required, value: Math.min(smallest, required) }),
    h('span', {}, smallest >= required ? ' reached' : days === null ? ' (no traffic to project from)' : ` about ${duration(days)} to go at the recent traffic`));
}

function duration(days) {
  if (days >= 2) {
    return `${days.toFixed(0)} days`;
  }
  const hours = days * 24;
  const minutes = Math.max(1, Math.round(hours * 60));
  return hours >= 2 ? `${hours.toFixed(0)} hours` : `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** The stored runs of this metric: each treatment's difference from control with its 95 % CI, over time. */
function overTime(metric, results, history) {
  if (!history) {
    return h('p', {}, 'The history is unavailable.');
  }
  const ofMetric = history.rows.filter((row) => row.metric === metric.name);
  const rows = ofMetric.filter((row) => !row.control);
  const controlAt = new Map(ofMetric.filter((row) => row.control).map((row) => [row.run_id, row.estimate]));
  const runs = [...new Set(rows.map((row) => row.run_id))];
  if (runs.length < 2) {
    return h('p', { class: 'meta' }, 'The chart over time appears after the analysis job has stored two runs.');
  }
  const timeOf = new Map(rows.map((row) => [row.run_id, Date.parse(row.time) / 1000]));
  const xs = runs.map((run) => timeOf.get(run));
  const variants = [...new Set(rows.map((row) => row.variant))];
  const series = variants.map((variant) => {
    const at = new Map(rows.filter((row) => row.variant === variant).map((row) => [row.run_id, row]));
    const pick = (key) => runs.map((run) => (at.has(run) ? at.get(run)[key] : null));
    const difference = runs.map((run) => (at.has(run) && controlAt.get(run) !== null && controlAt.get(run) !== undefined
      && at.get(run).estimate !== null ? at.get(run).estimate - controlAt.get(run) : null));
    return { label: `${variant} − ${results.control}`, values: difference, low: pick('difference_ci_low'), high: pick('difference_ci_high') };
  });
  const chart = timeChart(`${metric.name}: difference from ${results.control} over time, with 95 % CI`, xs, series, (v) => fixed(v, 3));
  chart.classList.add('over-time');
  return chart;
}
