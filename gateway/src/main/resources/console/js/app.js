// The console's shell: log in, route the URL's hash to a page, say when a page is ready.
import { api, ApiError, credential, setActorName, setCredential } from './api.js';
import { h } from './dom.js';
import { announce } from './ui.js';
import { experimentsPage, experimentPage, experimentForm } from './experiments.js';
import { driftPage } from './drift.js';
import { backendsPage } from './backends.js';

const main = document.getElementById('main');

const ROUTES = [
  [/^#\/experiments$/, () => experimentsPage(), 'experiments'],
  [/^#\/experiments\/new$/, () => experimentForm(null), 'experiments'],
  [/^#\/experiments\/([^/]+)\/edit$/, (name) => experimentForm(decodeURIComponent(name)), 'experiments'],
  [/^#\/experiments\/([^/]+)$/, (name) => experimentPage(decodeURIComponent(name)), 'experiments'],
  [/^#\/drift$/, () => driftPage(null), 'drift'],
  [/^#\/drift\/([^/]+)$/, (model) => driftPage(decodeURIComponent(model)), 'drift'],
  [/^#\/backends$/, () => backendsPage(), 'backends'],
];

let rendering = 0;

async function render() {
  const turn = ++rendering;
  const started = performance.now();
  document.body.removeAttribute('data-ready');
  announce('');
  if (!credential()) {
    showLogin();
    return;
  }
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = false;
  const hash = location.hash || '#/experiments';
  for (const [pattern, page, section] of ROUTES) {
    const match = hash.match(pattern);
    if (!match) {
      continue;
    }
    for (const link of document.querySelectorAll('#nav a')) {
      link.toggleAttribute('aria-current', link.dataset.section === section);
      if (link.dataset.section === section) {
        link.setAttribute('aria-current', 'page');
      }
    }
    let content;
    try {
      content = await page(...match.slice(1));
    } catch (e) {
      content = failure(e);
    }
    if (turn !== rendering) {
      return; // the user navigated on meanwhile
    }
    main.replaceChildren(content);
    const heading = main.querySelector('h1');
    if (heading) {
      document.title = `${heading.textContent} · ModelGate`;
    }
    main.focus({ preventScroll: true });
    // for people and for the browser tests: the page is complete, and how long it took
    document.body.dataset.ready = hash;
    document.body.dataset.renderMs = String(Math.round(performance.now() - started));
    document.body.dataset.readyAt = String(Math.round(performance.now())); // since the page's navigation began
    return;
  }
  location.hash = '#/experiments';
}

function failure(e) {
  if (e instanceof ApiError && e.status === 401) {
    setCredential(null);
    showLogin('The credential was refused: log in again.');
    return h('p', {}, '');
  }
  return h('section', { class: 'error-page' },
    h('h1', {}, 'Something went wrong'),
    h('p', { role: 'alert' }, e instanceof ApiError ? `${e.status}: ${e.message}` : String(e)));
}

function showLogin(message) {
  document.getElementById('nav').hidden = true;
  document.getElementById('logout').hidden = true;
  document.getElementById('who').textContent = '';
  const error = h('p', { id: 'login-error', class: 'field-error', role: 'alert' }, message || '');
  const secret = h('input', { id: 'login-credential', name: 'credential', type: 'password', required: true,
    autocomplete: 'current-password', 'aria-describedby': 'login-help login-error' });
  const name = h('input', { id: 'login-name', name: 'name', type: 'text', autocomplete: 'username' });
  const form = h('form', { class: 'login', 'aria-labelledby': 'login-title', novalidate: true },
    h('h1', { id: 'login-title' }, 'Log in'),
    h('p', { id: 'login-help' }, 'An API key with an admin role (viewer, experimenter, operator or admin), a JWT, or the gateway\'s admin token.'),
    h('label', { for: 'login-credential' }, 'Credential'), secret,
    h('label', { for: 'login-name' }, 'Your name (shown in the audit trail)'), name,
    error,
    h('button', { type: 'submit' }, 'Log in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!secret.value.trim()) {
      error.textContent = 'Enter a credential.';
      secret.setAttribute('aria-invalid', 'true');
      secret.focus();
      return;
    }
    setCredential(secret.value.trim());
    setActorName(name.value.trim());
    try {
      await api('GET', '/admin/experiments');
    } catch (e) {
      setCredential(null);
      error.textContent = e instanceof ApiError ? `${e.status}: ${e.message}` : String(e);
      secret.setAttribute('aria-invalid', 'true');
      secret.focus();
      return;
    }
    document.getElementById('who').textContent = `Logged in as ${name.value.trim() || 'user'}`;
    if (!location.hash || location.hash === '#/login') {
      location.hash = '#/experiments';
    }
    render();
  });
  main.replaceChildren(form);
  document.body.dataset.ready = '#/login';
  secret.focus();
}

document.getElementById('logout').addEventListener('click', () => {
  setCredential(null);
  render();
});
window.addEventListener('hashchange', render);
render();
