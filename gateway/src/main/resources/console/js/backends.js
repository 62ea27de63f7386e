// Backends: readiness, circuit breaker and latency of every variant.
import { api } from './api.js';
import { badge, fixed, h, percent, table } from './dom.js';

export async function backendsPage() {
  const { backends } = await api('GET', '/admin/backends');
  const byName = new Intl.Collator('en', { numeric: true }).compare;
  backends.sort((a, b) => byName(a.model, b.model) || byName(a.variant, b.variant));
  const ms = (v) => (v === null || v === undefined ? '–' : `${fixed(v, 1)} ms`);
  return h('section', { 'aria-labelledby': 'backends-title' },
    h('h1', { id: 'backends-title' }, 'Backends'),
    table(`${backends.length} variant backends`, ['Model', 'Variant', 'Type', 'Ready', 'Circuit breaker', 'Failure rate', 'Calls',
      'Mean', 'p50 ≤', 'p99 ≤', 'Max'], backends.map((b) => {
      const breaker = b.circuit_breaker;
      const latency = b.latency || {};
      return [b.model, b.variant, b.type + (b.batching ? ' (batching)' : ''),
        b.ready ? badge('ready', 'ok') : badge('not ready', 'bad'),
        breaker ? badge(breaker.state.replace('_', ' '), breaker.state === 'closed' ? 'ok' : breaker.state === 'open' ? 'bad' : 'warn') : '–',
        breaker && breaker.failure_rate >= 0 ? percent(breaker.failure_rate / 100, 1) : '–',
        String(latency.calls ?? 0), ms(latency.mean_ms), ms(latency.p50_ms_at_most), ms(latency.p99_ms_at_most), ms(latency.max_ms)];
    }), { id: 'backends-table' }));
}
