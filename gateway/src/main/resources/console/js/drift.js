// Drift: per model and variant the verdict and alert state, the per-feature tests, and reference vs
// current histograms of a chosen feature.
import { api, ApiError } from './api.js';
import { badge, fixed, h, pValue, table, when } from './dom.js';
import { barChart } from './charts.js';
import { announce } from './ui.js';

const enc = encodeURIComponent;

async function models() {
  const { backends } = await api('GET', '/admin/backends');
  return [...new Set(backends.map((b) => b.model))];
}

export async function driftPage(model) {
  const names = await models();
  const chosen = model || names[0];
  const picker = h('select', { id: 'drift-model', 'aria-label': 'Model' },
    names.map((name) => h('option', { value: name, selected: name === chosen }, name)));
  picker.addEventListener('change', () => { location.hash = `#/drift/${enc(picker.value)}`; });
  const page = h('section', { 'aria-labelledby': 'drift-title' },
    h('div', { class: 'title-row' }, h('h1', { id: 'drift-title' }, `Drift of ${chosen || '–'}`),
      h('label', { for: 'drift-model' }, 'Model '), picker));
  if (!chosen) {
    page.append(h('p', {}, 'No models.'));
    return page;
  }
  const run = h('button', { type: 'button', id: 'drift-run', class: 'secondary' }, 'Compare the current window now');
  run.addEventListener('click', async () => {
    run.disabled = true;
    try {
      await api('POST', `/admin/models/${enc(chosen)}/drift/run`);
      announce('Drift run finished.', 'ok');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      announce(`Drift run failed: ${e.message}`, 'bad');
      run.disabled = false;
    }
  });
  page.append(h('div', { class: 'actions' }, run));
  let report;
  try {
    report = await api('GET', `/admin/models/${enc(chosen)}/drift`);
  } catch (e) {
    page.append(h('p', { role: 'alert' }, e instanceof ApiError ? `Drift unavailable (${e.status}): ${e.message}` : String(e)));
    return page;
  }
  if (report.variants.length === 0) {
    page.append(h('p', {}, 'No drift run yet: upload a reference and wait for a window, or compare now.'));
  }
  for (const variant of report.variants) {
    page.append(await variantSection(chosen, variant));
  }
  return page;
}

async function variantSection(model, run) {
  const id = `drift-${run.variant}`;
  const firing = run.alert_state === 'firing';
  const section = h('section', { class: 'drift-variant', id, 'aria-labelledby': `${id}-title`, 'data-variant': run.variant },
    h('h2', { id: `${id}-title` }, `Variant ${run.variant}`));
  if (firing) {
    section.append(h('div', { class: 'banner bad', role: 'alert', id: `${id}-alert` },
      h('strong', {}, 'Drift alert firing'), ` for ${model}/${run.variant}: ${(run.features || []).filter((f) => f.drifted).map((f) => f.feature).join(', ')} drifted.`));
  }
  section.append(h('dl', { class: 'summary' },
    h('dt', {}, 'Verdict'), h('dd', { class: 'verdict' }, badge(run.verdict.replace('_', ' '), { drift: 'bad', no_drift: 'ok' }[run.verdict] || 'muted')),
    h('dt', {}, 'Alert'), h('dd', { class: 'alert-state' }, badge(run.alert_state, firing ? 'bad' : run.alert_state === 'pending' ? 'warn' : 'ok')),
    h('dt', {}, 'Window'), h('dd', {}, `${when(run.window_start)} – ${when(run.window_end)}`),
    run.reason ? [h('dt', {}, 'Reason'), h('dd', {}, run.reason)] : null,
    run.drifted_share !== undefined ? [h('dt', {}, 'Drifted share'),
      h('dd', {}, `${fixed(run.drifted_share, 3)} (threshold ${run.share_threshold})`)] : null));
  if (!run.features) {
    return section;
  }
  section.append(table(`Features of ${run.variant}`, ['Feature', 'Method', 'Statistic', 'Threshold', 'p-value', 'Adjusted p', 'Drifted', 'Reference n', 'Current n'],
    run.features.map((f) => [f.feature, f.method, fixed(f.statistic, 4), String(f.threshold), pValue(f.p_value), pValue(f.adjusted_p_value),
      f.drifted ? badge('drifted', 'bad') : 'no', String(f.n_reference), String(f.n_current)]), { class: 'features-table', 'data-variant': run.variant }));
  section.append(await histogramBlock(model, run));
  return section;
}

async function histogramBlock(model, run) {
  let histograms;
  try {
    histograms = await api('GET', `/admin/models/${enc(model)}/drift/histograms?variant=${enc(run.variant)}`);
  } catch (e) {
    return h('p', { class: 'meta' }, e instanceof ApiError && e.status === 404
      ? 'Histograms appear once this gateway has compared a window (they are kept in memory).' : `Histograms unavailable: ${e.message}`);
  }
  const byName = new Map(histograms.features.map((f) => [f.feature, f]));
  const first = (run.features.find((f) => f.drifted) || run.features[0] || {}).feature || histograms.features[0]?.feature;
  const selectId = `histogram-feature-${run.variant}`;
  const picker = h('select', { id: selectId }, histograms.features.map((f) => h('option', { value: f.feature, selected: f.feature === first }, f.feature)));
  const holder = h('div', { class: 'histogram' });
  const draw = () => {
    const feature = byName.get(picker.value);
    if (!feature) {
      holder.replaceChildren();
      return;
    }
    const share = (counts) => {
      const total = counts.reduce((a, b) => a + b, 0) || 1;
      return counts.map((c) => c / total);
    };
    const reference = share(feature.reference);
    const current = share(feature.current);
    holder.replaceChildren(
      barChart(`${feature.feature}: share of values per cell, reference vs current window`, feature.labels,
        [{ label: 'reference', values: reference }, { label: 'current', values: current }], (v) => `${(100 * v).toFixed(0)} %`),
      h('details', {}, h('summary', {}, 'The same as a table'),
        table(`${feature.feature} per cell`, ['Cell', 'Reference', 'Current'],
          feature.labels.map((label, i) => [label, `${feature.reference[i]} (${(100 * reference[i]).toFixed(1)} %)`,
            `${feature.current[i]} (${(100 * current[i]).toFixed(1)} %)`]))));
  };
  picker.addEventListener('change', draw);
  draw();
  return h('div', { class: 'histograms' }, h('h3', {}, 'Reference vs current'), h('label', { for: selectId }, 'Feature '), picker, holder);
}
