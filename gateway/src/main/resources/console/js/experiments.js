// Experiments: the list, one experiment (actions, results, canary timeline, audit trail) and the form.
import { api, ApiError } from './api.js';
import { badge, h, table, when } from './dom.js';
import { announce, confirmAction } from './ui.js';
import { resultsSection } from './results.js';

const enc = encodeURIComponent;

/** "v1 50 % · v2 50 %", the canary's current weights, or the shadow's copies. */
export function split(experiment) {
  const spec = experiment.spec;
  if (spec.kind === 'ab') {
    const variants = spec.variants.map((v) => `${v.name} ${v.weight} %`).join(' · ');
    return spec.holdout_percent > 0 ? `${variants} (holdout ${spec.holdout_percent} %)` : variants;
  }
  if (spec.kind === 'canary') {
    const weight = experiment.canary ? experiment.canary.weight_percent : 0;
    return `${spec.baseline} ${round(100 - weight)} % · ${spec.candidate} ${round(weight)} %`;
  }
  return `${spec.primary} → shadows ${spec.shadows.join(', ')} (${round(100 * spec.sample_rate)} % copied)`;
}

function round(value) {
  return Math.round(value * 100) / 100;
}

function statusOf(experiment) {
  const status = experiment.canary ? experiment.canary.status.replace('_', ' ') : experiment.spec.status;
  const tone = { running: 'ok', progressing: 'ok', paused: 'warn', 'rolled back': 'bad', completed: 'muted', promoted: 'muted' }[status];
  return badge(status, tone);
}

/** Whether an SRM check means something: an A/B test or canary that still routes traffic. */
function routes(experiment) {
  return experiment.spec.kind !== 'shadow' && experiment.spec.status !== 'completed'
    && !(experiment.canary && ['promoted', 'rolled_back'].includes(experiment.canary.status));
}

export async function experimentsPage() {
  const { experiments } = await api('GET', '/admin/experiments');
  const rows = experiments.map((experiment) => {
    const name = experiment.spec.name;
    const srm = h('span', { 'data-srm': name }, routes(experiment) ? 'checking…' : '–');
    return { experiment, srm, cells: [
      h('a', { href: `#/experiments/${enc(name)}` }, name),
      experiment.spec.kind, experiment.spec.model, statusOf(experiment), split(experiment), srm,
      when(experiment.updated_at)] };
  });
  const page = h('section', { 'aria-labelledby': 'experiments-title' },
    h('div', { class: 'title-row' },
      h('h1', { id: 'experiments-title' }, 'Experiments'),
      h('a', { class: 'button', href: '#/experiments/new' }, 'New experiment')),
    experiments.length === 0
      ? h('p', {}, 'No experiments yet.')
      : table(`${experiments.length} experiments`, ['Name', 'Kind', 'Model', 'Status', 'Split', 'SRM', 'Updated'],
        rows.map((row) => row.cells), { id: 'experiments-table' }));
  // the SRM state costs one results query each: fetched after the list is shown, a few at a time
  fillSrm(rows.filter((row) => routes(row.experiment)));
  return page;
}

async function fillSrm(rows) {
  const queue = [...rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      try {
        const results = await api('GET', `/admin/experiments/${enc(row.experiment.spec.name)}/results`);
        row.srm.replaceChildren(results.srm.alarm
          ? badge(`mismatch (p = ${results.srm.p_value.toExponential(1)})`, 'bad')
          : badge('ok', 'ok'));
      } catch (e) {
        row.srm.textContent = e instanceof ApiError && e.status === 503 ? 'unavailable' : '–';
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}

export async function experimentPage(name) {
  const experiment = await api('GET', `/admin/experiments/${enc(name)}`);
  const spec = experiment.spec;
  const decisions = api('GET', `/admin/experiments/${enc(name)}/decisions?limit=200`).catch((e) => e);
  const sections = [
    h('div', { class: 'title-row' },
      h('h1', {}, `Experiment ${name}`),
      h('a', { class: 'button secondary', href: `#/experiments/${enc(name)}/edit` }, 'Edit')),
    h('dl', { class: 'summary' },
      h('dt', {}, 'Kind'), h('dd', {}, spec.kind),
      h('dt', {}, 'Model'), h('dd', {}, spec.model),
      h('dt', {}, 'Status'), h('dd', { id: 'experiment-status' }, statusOf(experiment)),
      h('dt', {}, 'Split'), h('dd', { id: 'experiment-split' }, split(experiment)),
      h('dt', {}, 'Last change'), h('dd', {}, `${when(experiment.updated_at)} by ${experiment.updated_by}`),
      experiment.last_decision ? [h('dt', {}, 'Last decision'),
        h('dd', {}, `${experiment.last_decision.action}: ${experiment.last_decision.reason}`)] : null),
    actions(experiment),
  ];
  const trail = await decisions;
  if (spec.kind === 'canary') {
    sections.push(canarySection(experiment, trail));
  }
  if (spec.kind !== 'shadow') {
    sections.push(await resultsSection(name));
  }
  sections.push(auditSection(trail));
  return h('article', { class: 'experiment' }, sections);
}

/** Pause, resume, promote and roll back, each after a confirmation naming what will move. */
function actions(experiment) {
  const spec = experiment.spec;
  const name = spec.name;
  const canary = experiment.canary;
  const paused = canary ? canary.status === 'paused' : spec.status === 'paused';
  const buttons = [];
  const act = (action, label, text, body) => h('button', {
    type: 'button', class: action === 'rollback' ? 'danger' : 'secondary', id: `action-${action}`,
    onclick: async () => {
      if (!await confirmAction(`${label} ${name}?`, text, label)) {
        return;
      }
      try {
        await api('POST', `/admin/experiments/${enc(name)}/${action}`, body ? body() : undefined);
        announce(`${label}: done.`, 'ok');
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (e) {
        announce(`${label} failed: ${e.message}`, 'bad');
      }
    },
  }, label);
  if (canary && canary.status === 'rolled_back') {
    return h('p', { class: 'muted', id: 'actions-finished' }, 'This rollout is over (rolled back): nothing is left to move.');
  }
  if (canary && canary.status === 'promoted') {
    // the API keeps rollback open after a promotion: the emergency exit
    return h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' },
      h('p', { class: 'muted', id: 'actions-finished' }, 'This rollout is over (promoted); rolling back is still possible.'),
      act('rollback', 'Roll back', `${spec.candidate} gets 0 %: everyone goes back to ${spec.baseline}.`));
  }
  if (spec.kind === 'shadow') {
    buttons.push(paused ? act('resume', 'Resume', 'Shadow copies start again.') : act('pause', 'Pause', 'No more shadow copies are sent.'));
    return h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' }, buttons);
  }
  buttons.push(paused
    ? act('resume', 'Resume', canary ? 'The controller moves the rollout again.' : 'Units are split again by the configured weights.')
    : act('pause', 'Pause', canary ? 'The rollout freezes at its current weight.' : 'Everyone is served the default variant until resumed.'));
  if (canary) {
    buttons.push(act('promote', 'Promote', `${spec.candidate} gets 100 % of the traffic.`));
    buttons.push(act('rollback', 'Roll back', `${spec.candidate} gets 0 %: everyone goes back to ${spec.baseline}.`));
  } else {
    const others = spec.variants.filter((v) => v.name !== spec.default_variant);
    const select = h('select', { id: 'promote-variant', 'aria-label': 'Variant to promote' },
      others.map((v) => h('option', { value: v.name }, v.name)));
    if (others.length > 0) {
      buttons.push(h('span', { class: 'inline' }, select,
        act('promote', 'Promote', 'The chosen variant gets 100 % of the units.', () => ({ variant: select.value }))));
    }
    buttons.push(act('rollback', 'Roll back', `Everyone gets the default variant ${spec.default_variant}.`));
  }
  return h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' }, buttons);
}

function evidenceList(evidence) {
  if (!evidence || typeof evidence !== 'object') {
    return evidence ? String(evidence) : '';
  }
  return h('dl', { class: 'evidence' }, Object.entries(evidence).map(([key, value]) => [
    h('dt', {}, key),
    h('dd', {}, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value))]));
}

/** The canary's current step and its decisions on a timeline (newest first), each with its evidence. */
function canarySection(experiment, trail) {
  const spec = experiment.spec;
  const state = experiment.canary;
  const steps = spec.steps.map((weight, index) => h('li', {
    class: index === state.step_index ? 'current' : index < state.step_index ? 'done' : '',
    'aria-current': index === state.step_index ? 'step' : null,
  }, `${weight} %`));
  const entries = trail instanceof Error ? [] : trail.rows;
  return h('section', { 'aria-labelledby': 'canary-title', class: 'canary' },
    h('h2', { id: 'canary-title' }, 'Canary rollout'),
    h('p', { id: 'canary-state' },
      `Step ${state.step_index + 1} of ${spec.steps.length}: ${spec.candidate} at ${state.weight_percent} % since ${when(state.since)} (${state.status.replace('_', ' ')}).`),
    h('ol', { class: 'steps', 'aria-label': 'Steps' }, steps),
    h('h3', {}, 'Decisions'),
    trail instanceof Error ? h('p', {}, `Decisions unavailable: ${trail.message}`)
      : h('ol', { class: 'timeline', id: 'canary-timeline' }, entries.map((row) => h('li', {},
        h('time', { datetime: row.time }, when(row.time)), ' ',
        badge(row.action, { rollback: 'bad', hold: 'warn', advance: 'ok', promote: 'ok' }[row.action]),
        row.candidate_weight === null ? '' : ` candidate ${row.candidate_weight} %`,
        h('p', {}, `${row.actor}: ${row.reason}`),
        evidenceList(row.evidence)))));
}

function auditSection(trail) {
  const body = trail instanceof Error
    ? h('p', {}, `The audit trail is unavailable: ${trail.message}`)
    : trail.rows.length === 0 ? h('p', {}, 'No recorded changes yet (rows reach ClickHouse within seconds).')
      : table('Changes, newest first', ['Time', 'Who', 'Action', 'Reason', 'Status after'], trail.rows.map((row) => [
        h('time', { datetime: row.time }, when(row.time)), row.actor, row.action, row.reason,
        row.new_spec ? row.new_spec.status : 'deleted']), { id: 'audit-table' });
  return h('section', { 'aria-labelledby': 'audit-title' }, h('h2', { id: 'audit-title' }, 'Audit trail'), body);
}

// ---- the form ----

/** Models and their variants, from the backends list. */
async function modelVariants() {
  const { backends } = await api('GET', '/admin/backends');
  const models = new Map();
  for (const backend of backends) {
    if (!models.has(backend.model)) {
      models.set(backend.model, []);
    }
    models.get(backend.model).push(backend.variant);
  }
  // by name (v1 before v2 before v10): the gateway lists them in no particular order, and the first is the control
  const byName = new Intl.Collator('en', { numeric: true }).compare;
  models.forEach((variants) => variants.sort(byName));
  return models;
}

let fieldIds = 0;

/** A labelled input whose API field name is data-field; its error is shown under it. */
function field(label, field, input, help) {
  const id = `f-${++fieldIds}`;
  input.id = id;
  input.dataset.field = field;
  input.name = field;
  const error = h('span', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  input.setAttribute('aria-describedby', `${id}-error${help ? ` ${id}-help` : ''}`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input,
    help ? h('span', { class: 'help', id: `${id}-help` }, help) : null, error);
}

function input(type, value, attributes) {
  return h('input', { type, value: value === undefined || value === null ? '' : value, ...(attributes || {}) });
}

function select(options, value) {
  return h('select', {}, options.map((option) => h('option', { value: option, selected: option === value }, option)));
}

export async function experimentForm(name) {
  fieldIds = 0;
  const [models, existing] = await Promise.all([modelVariants(), name ? api('GET', `/admin/experiments/${enc(name)}`) : null]);
  const original = existing ? existing.spec : { kind: 'ab', status: 'running' };
  const modelNames = [...models.keys()];
  const state = { kind: original.kind, model: original.model || modelNames[0] };
  const variantsOf = () => models.get(state.model) || [];

  const form = h('form', { class: 'experiment-form', novalidate: true, 'aria-labelledby': 'form-title' });
  const formError = h('p', { class: 'form-error', id: 'form-error', role: 'alert' });
  const nameInput = input('text', original.name, { required: true, readonly: Boolean(name), autocomplete: 'off' });
  const modelSelect = select(modelNames, state.model);
  const statusSelect = select(['running', 'paused', 'completed'], original.status);
  const kindFieldset = h('fieldset', { class: 'kinds', dataset: { field: 'kind' } }, h('legend', {}, 'Kind'),
    ['ab', 'canary', 'shadow'].map((kind) => h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'kind', value: kind, checked: kind === state.kind, disabled: Boolean(name) && kind !== state.kind }),
      { ab: 'A/B test', canary: 'Canary', shadow: 'Shadow' }[kind])));
  const specific = h('div', { id: 'kind-fields' });
  const metricsBox = h('div', { id: 'metrics-fields' });

  const variantRows = h('div', { class: 'rows' });
  const addVariant = (variant) => {
    const index = variantRows.children.length;
    const row = h('div', { class: 'row' },
      field(`Variant ${index + 1}`, `variants[${index}].name`, select(variantsOf(), variant && variant.name)),
      field(`Weight of variant ${index + 1} (%)`, `variants[${index}].weight`, input('number', variant ? variant.weight : '', { step: 'any', min: 0, max: 100 })));
    variantRows.appendChild(row);
  };
  const metricRows = h('div', { class: 'rows' });
  const addMetric = (metric) => {
    const index = metricRows.children.length;
    const m = metric || {};
    metricRows.appendChild(h('div', { class: 'row' },
      field(`Metric ${index + 1} name`, `metrics[${index}].name`, input('text', m.name)),
      field('Kind', `metrics[${index}].kind`, select(['binary', 'continuous'], m.kind)),
      field('Better when', `metrics[${index}].direction`, select(['higher', 'lower'], m.direction)),
      field('Source', `metrics[${index}].source`, select(['feedback', 'latency_ms', 'score'], m.source)),
      field('Minimum detectable effect (relative)', `metrics[${index}].minimum_detectable_effect`, input('number', m.minimum_detectable_effect, { step: 'any' })),
      field('Guardrail', `metrics[${index}].guardrail`, h('input', { type: 'checkbox', checked: Boolean(m.guardrail) }))));
  };

  const kindFields = {};
  const renderKind = () => {
    variantRows.replaceChildren();
    if (state.kind === 'ab') {
      const variants = original.kind === 'ab' && original.variants ? original.variants
        : variantsOf().slice(0, 2).map((variant, index, all) => ({ name: variant, weight: round(100 / all.length) }));
      variants.forEach(addVariant);
      kindFields.holdout = input('number', original.holdout_percent, { step: 'any', min: 0, max: 100 });
      specific.replaceChildren(h('fieldset', { dataset: { field: 'variants' } }, h('legend', {}, 'Variants and weights'), variantRows,
        h('button', { type: 'button', class: 'secondary', onclick: () => addVariant(null) }, 'Add a variant')),
      field('Holdout (% of units kept on the default variant)', 'holdout_percent', kindFields.holdout));
    } else if (state.kind === 'canary') {
      const variants = variantsOf();
      kindFields.baseline = select(variants, original.baseline || variants[0]);
      kindFields.candidate = select(variants, original.candidate || variants[1]);
      kindFields.steps = input('text', (original.steps || [5, 25, 50, 100]).join(', '));
      kindFields.duration = input('number', original.min_step_duration_seconds ?? 300, { min: 0 });
      kindFields.requests = input('number', original.min_requests_per_step ?? 500, { min: 0 });
      const gates = original.gates || {};
      kindFields.errorGate = input('number', gates.max_error_rate_increase ?? 1.0, { step: 'any' });
      kindFields.latencyGate = input('number', gates.max_p99_latency_ratio ?? 1.5, { step: 'any' });
      specific.replaceChildren(
        field('Baseline', 'baseline', kindFields.baseline),
        field('Candidate', 'candidate', kindFields.candidate),
        field('Steps (candidate %, comma separated)', 'steps', kindFields.steps, 'e.g. 5, 25, 50, 100'),
        field('Minimum step duration (seconds)', 'min_step_duration_seconds', kindFields.duration),
        field('Minimum requests per step', 'min_requests_per_step', kindFields.requests),
        field('Gate: largest error-rate increase (percentage points)', 'gates.max_error_rate_increase', kindFields.errorGate),
        field('Gate: largest p99 latency ratio', 'gates.max_p99_latency_ratio', kindFields.latencyGate));
    } else {
      const variants = variantsOf();
      kindFields.primary = select(variants, original.primary || variants[0]);
      kindFields.shadows = input('text', (original.shadows || variants.slice(1, 2)).join(', '));
      kindFields.rate = input('number', original.sample_rate ?? 0.1, { step: 'any', min: 0, max: 1 });
      kindFields.concurrent = input('number', original.max_concurrent, { min: 1 });
      kindFields.perSecond = input('number', original.max_per_second, { step: 'any', min: 0 });
      specific.replaceChildren(
        field('Primary', 'primary', kindFields.primary),
        field('Shadow variants (comma separated)', 'shadows', kindFields.shadows),
        field('Sample rate (0 to 1)', 'sample_rate', kindFields.rate),
        field('Most concurrent copies', 'max_concurrent', kindFields.concurrent),
        field('Most copies per second', 'max_per_second', kindFields.perSecond));
    }
    metricRows.replaceChildren();
    (original.metrics || []).forEach(addMetric);
    metricsBox.replaceChildren(state.kind === 'shadow' ? '' : h('fieldset', { dataset: { field: 'metrics' } },
      h('legend', {}, 'Metrics'), metricRows,
      h('button', { type: 'button', class: 'secondary', onclick: () => addMetric(null) }, 'Add a metric')));
  };
  kindFieldset.addEventListener('change', (event) => {
    state.kind = event.target.value;
    renderKind();
  });
  modelSelect.addEventListener('change', () => {
    state.model = modelSelect.value;
    renderKind();
  });
  renderKind();

  const numberOrUndefined = (element) => (element.value.trim() === '' ? undefined : Number(element.value));
  const listOf = (text) => text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const build = () => {
    const spec = { ...original, kind: state.kind, name: nameInput.value.trim(), model: modelSelect.value, status: statusSelect.value };
    for (const key of ['variants', 'holdout_percent', 'baseline', 'candidate', 'steps', 'min_step_duration_seconds',
      'min_requests_per_step', 'gates', 'primary', 'shadows', 'sample_rate', 'max_concurrent', 'max_per_second', 'metrics']) {
      delete spec[key];
    }
    if (original.kind !== state.kind) {
      delete spec.targeting;
      delete spec.default_variant;
    }
    if (state.kind === 'ab') {
      spec.variants = [...variantRows.children].map((row) => {
        const [variant, weight] = row.querySelectorAll('select, input');
        return { name: variant.value, weight: weight.value.trim() === '' ? null : Number(weight.value) };
      });
      spec.holdout_percent = numberOrUndefined(kindFields.holdout);
      if (spec.default_variant && !spec.variants.some((v) => v.name === spec.default_variant)) {
        delete spec.default_variant;
      }
    } else if (state.kind === 'canary') {
      spec.baseline = kindFields.baseline.value;
      spec.candidate = kindFields.candidate.value;
      spec.steps = listOf(kindFields.steps.value).map((step) => (Number.isNaN(Number(step)) ? step : Number(step)));
      spec.min_step_duration_seconds = numberOrUndefined(kindFields.duration);
      spec.min_requests_per_step = numberOrUndefined(kindFields.requests);
      spec.gates = { max_error_rate_increase: numberOrUndefined(kindFields.errorGate), max_p99_latency_ratio: numberOrUndefined(kindFields.latencyGate) };
    } else {
      spec.primary = kindFields.primary.value;
      spec.shadows = listOf(kindFields.shadows.value);
      spec.sample_rate = numberOrUndefined(kindFields.rate);
      spec.max_concurrent = numberOrUndefined(kindFields.concurrent);
      spec.max_per_second = numberOrUndefined(kindFields.perSecond);
    }
    if (state.kind !== 'shadow') {
      spec.metrics = [...metricRows.children].map((row) => {
        const value = (suffix) => row.querySelector(`[data-field$="].${suffix}"]`);
        return {
          name: value('name').value.trim(), kind: value('kind').value, direction: value('direction').value,
          source: value('source').value, minimum_detectable_effect: numberOrUndefined(value('minimum_detectable_effect')),
          guardrail: value('guardrail').checked,
        };
      });
    }
    return JSON.parse(JSON.stringify(spec)); // drops the undefined members
  };

  const clearErrors = () => {
    formError.textContent = '';
    form.querySelectorAll('[aria-invalid]').forEach((element) => element.removeAttribute('aria-invalid'));
    form.querySelectorAll('.field-error').forEach((element) => { element.textContent = ''; });
  };
  /** The input (or fieldset) for an API field name, else that of the closest enclosing field: steps[2] → steps. */
  const fieldElement = (fieldName) => {
    for (let name = fieldName; name;) {
      const found = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
      if (found) {
        return found;
      }
      const shorter = name.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      if (shorter === name) {
        return null;
      }
      name = shorter;
    }
    return null;
  };
  /** The API's error shown at the field it names, focused for the keyboard; otherwise above the form. */
  const showError = (fieldName, message) => {
    const target = fieldElement(fieldName);
    if (target && target.tagName !== 'FIELDSET') {
      target.setAttribute('aria-invalid', 'true');
      document.getElementById(`${target.id}-error`).textContent = message;
      target.focus();
      return;
    }
    formError.textContent = fieldName ? `${fieldName}: ${message}` : message;
    formError.setAttribute('tabindex', '-1');
    formError.focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const spec = build();
    if (!spec.name) {
      showError('name', 'a name is required');
      return;
    }
    try {
      await api('PUT', `/admin/experiments/${enc(spec.name)}`, spec);
      announce(`Experiment ${spec.name} saved.`, 'ok');
      location.hash = `#/experiments/${enc(spec.name)}`;
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        const message = e.field && e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
        showError(e.field, message);
      } else {
        formError.textContent = e instanceof ApiError ? `${e.status}: ${e.message}` : String(e);
        formError.focus();
      }
    }
  });

  form.append(
    h('h1', { id: 'form-title' }, name ? `Edit ${name}` : 'New experiment'),
    formError,
    field('Name', 'name', nameInput, 'Letters, digits, dots, dashes and underscores'),
    field('Model', 'model', modelSelect),
    kindFieldset,
    field('Status', 'status', statusSelect),
    specific,
    metricsBox,
    h('div', { class: 'buttons' },
      h('button', { type: 'submit', id: 'save' }, name ? 'Save changes' : 'Create experiment'),
      h('a', { class: 'button secondary', href: name ? `#/experiments/${enc(name)}` : '#/experiments' }, 'Cancel')));
  return form;
}
