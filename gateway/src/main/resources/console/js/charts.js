// Charts: a forest plot of effects with their intervals (SVG, one row per variant, readable as text
// too), and uPlot (vendored) for series over time and histograms.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = ['#1f6fb2', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0f766e'];

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  children.forEach((child) => element.appendChild(typeof child === 'string' ? document.createTextNode(child) : child));
  return element;
}

/** About `count` round values (steps of 1, 2 or 5 × 10^k) inside [min, max], through 0 when it is inside. */
function niceTicks(min, max, count) {
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw);
  const ticks = [];
  for (let value = Math.ceil(min / step) * step; value <= max + step * 1e-9; value += step) {
    ticks.push(Math.abs(value) < step * 1e-9 ? 0 : value);
  }
  return ticks;
}

/**
 * rows: [{label, estimate, low, high, seqLow, seqHigh, text}] drawn on one axis through 0; the fixed
 * interval thin and dark, the always-valid one wide and light. Each row carries its numbers as an
 * accessible label and as data attributes.
 */
export function forestPlot(title, rows, format) {
  const width = 640;
  const rowHeight = 34;
  const left = 90;
  const right = 48; // room for the last tick's label
  const height = rows.length * rowHeight + 40;
  const values = [0];
  rows.forEach((row) => [row.estimate, row.low, row.high, row.seqLow, row.seqHigh]
    .filter((v) => v !== null && v !== undefined && Number.isFinite(v)).forEach((v) => values.push(v)));
  let min = Math.min(...values);
  let max = Math.max(...values);
  const pad = (max - min) * 0.08 || 0.01;
  min -= pad;
  max += pad;
  const x = (v) => left + ((v - min) / (max - min)) * (width - left - right);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': title, class: 'forest' });
  chart.appendChild(svg('title', {}, title));
  chart.appendChild(svg('line', { x1: x(0), x2: x(0), y1: 6, y2: height - 26, class: 'zero' }));
  for (const value of niceTicks(min, max, 5)) {
    chart.appendChild(svg('text', { x: x(value), y: height - 8, 'text-anchor': 'middle', class: 'tick' }, format(value)));
  }
  rows.forEach((row, index) => {
    const y = 20 + index * rowHeight;
    const group = svg('g', { role: 'listitem', 'aria-label': row.text, class: 'forest-row', 'data-variant': row.label,
      'data-estimate': row.estimate, 'data-ci-low': row.low, 'data-ci-high': row.high });
    group.appendChild(svg('text', { x: 4, y: y + 4, class: 'label' }, row.label));
    if (Number.isFinite(row.seqLow) && Number.isFinite(row.seqHigh)) {
      group.appendChild(svg('line', { x1: x(row.seqLow), x2: x(row.seqHigh), y1: y, y2: y, class: 'ci-sequential',
        stroke: COLOURS[index % COLOURS.length] }));
    }
    if (Number.isFinite(row.low) && Number.isFinite(row.high)) {
      group.appendChild(svg('line', { x1: x(row.low), x2: x(row.high), y1: y, y2: y, class: 'ci',
        stroke: COLOURS[index % COLOURS.length] }));
    }
    if (Number.isFinite(row.estimate)) {
      group.appendChild(svg('circle', { cx: x(row.estimate), cy: y, r: 5, fill: COLOURS[index % COLOURS.length] }));
    }
    group.appendChild(svg('title', {}, row.text));
    chart.appendChild(group);
  });
  return h('figure', { class: 'chart' }, chart,
    h('figcaption', {}, title, ' — dot: estimate; thin bar: 95 % confidence interval; wide pale bar: always-valid interval.'));
}

function width(container) {
  return Math.max(320, Math.min(760, (container && container.clientWidth) || 720));
}

/**
 * Lines over time: xs in seconds, series [{label, values, low, high}]; a series with low/high gets a
 * shaded band between them.
 */
export function timeChart(title, xs, series, format) {
  const figure = h('figure', { class: 'chart', role: 'group', 'aria-label': title }, h('figcaption', {}, title));
  // the latest point of each series, readable without the canvas (and checked by the browser tests)
  const last = (values) => [...values].reverse().find((v) => v !== null && v !== undefined) ?? null;
  figure.dataset.last = JSON.stringify(series.map((s) => ({ label: s.label, value: last(s.values),
    low: s.low ? last(s.low) : null, high: s.high ? last(s.high) : null })));
  const data = [xs];
  const config = [{}];
  const bands = [];
  series.forEach((s, index) => {
    const colour = COLOURS[index % COLOURS.length];
    data.push(s.values);
    config.push({ label: s.label, stroke: colour, width: 2, value: (u, v) => (v === null ? '–' : format(v)) });
    if (s.low && s.high) {
      data.push(s.high, s.low);
      config.push({ label: `${s.label} CI high`, stroke: colour, dash: [4, 4], width: 1, value: (u, v) => (v === null ? '–' : format(v)) });
      config.push({ label: `${s.label} CI low`, stroke: colour, dash: [4, 4], width: 1, value: (u, v) => (v === null ? '–' : format(v)) });
      bands.push({ series: [data.length - 2, data.length - 1], fill: `${colour}22` });
    }
  });
  const options = {
    width: 720, height: 260, series: config, bands,
    axes: [{}, { values: (u, values) => values.map(format), size: 70 }],
    scales: { x: { time: true } },
  };
  // uPlot measures text, so it is created once the figure is in the page
  requestAnimationFrame(() => {
    options.width = width(figure);
    new uPlot(options, data, figure); // uPlot appends its root to the target it is given
  });
  return figure;
}

/** Two bar series side by side per labelled cell (e.g. reference vs current shares of a feature's bins). */
export function barChart(title, labels, series, format) {
  const figure = h('figure', { class: 'chart', role: 'group', 'aria-label': title }, h('figcaption', {}, title));
  const xs = labels.map((label, index) => index);
  const bars = uPlot.paths.bars;
  const options = {
    width: 720, height: 260,
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
    axes: [{ values: (u, values) => values.map((v) => (Number.isInteger(v) ? labels[v] ?? '' : '')), rotate: -30, size: 90 },
      { values: (u, values) => values.map(format), size: 60 }],
    series: [{ label: 'cell', value: (u, v) => (v === null ? '–' : labels[v]) },
      ...series.map((s, index) => ({
        label: s.label, fill: `${COLOURS[index]}aa`, stroke: COLOURS[index], width: 1,
        paths: bars({ size: [0.4, 60], align: index === 0 ? -1 : 1 }),
        points: { show: false }, value: (u, v) => (v === null ? '–' : format(v)),
      }))],
  };
  requestAnimationFrame(() => {
    options.width = width(figure);
    new uPlot(options, [xs, ...series.map((s) => s.values)], figure);
  });
  return figure;
}
