// A tiny DOM builder and number formatting: no framework, so the console ships as plain ES modules.

/** h('a', {href: '#/x', class: 'c', onclick: fn}, 'text', child, [children]) */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else if (child instanceof Node) {
      element.appendChild(child);
    } else {
      element.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** A table with a caption, header row and body rows (arrays of cells: text or nodes). */
export function table(caption, headers, rows, attributes) {
  return h('table', attributes || {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, row.map((cell) => h('td', {}, cell))))));
}

export function fixed(value, digits = 4) {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits);
}

export function percent(value, digits = 2) {
  return value === null || value === undefined ? '–' : `${(100 * value).toFixed(digits)} %`;
}

/** A p-value as people read it: 4 decimals, or "< 0.0001". */
export function pValue(value) {
  if (value === null || value === undefined) {
    return '–';
  }
  return value < 0.0001 ? '< 0.0001' : value.toFixed(4);
}

export function when(iso) {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–';
}

/** A badge whose text says the state (colour is never the only signal). */
export function badge(text, tone) {
  return h('span', { class: `badge ${tone || ''}` }, text);
}
