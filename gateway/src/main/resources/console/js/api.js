// The admin API, the console's only backend. The credential (admin token, API key with a role, or a JWT)
// lives in sessionStorage: it is gone when the tab closes and is never written into a URL.

const KEY = 'modelgate.credential';

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `HTTP ${status}`);
    this.status = status;
    this.field = body && body.field ? body.field : null;
    this.body = body;
  }
}

export function credential() {
  return sessionStorage.getItem(KEY);
}

export function setCredential(value) {
  if (value) {
    sessionStorage.setItem(KEY, value);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

/** Calls the admin API; resolves to the parsed JSON (null for 204), rejects with an ApiError. */
export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${credential() || ''}`, 'X-Actor': actor() };
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = { error: text };
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, json);
  }
  return json;
}

/** Who the audit trail names for changes made here: the console and the name given at login. */
function actor() {
  return `console:${sessionStorage.getItem(KEY + '.name') || 'user'}`;
}

export function setActorName(name) {
  sessionStorage.setItem(KEY + '.name', name || 'user');
}
