// The playground's calls to its server. Every request is JSON, so another site cannot forge one.

async function call(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  const data = type.startsWith('application/json') ? await res.json() : await res.text();
  if (!res.ok) {
    const message = typeof data === 'object' && data?.error ? data.error.message : String(data);
    throw new Error(message || `${method} ${path} failed with ${res.status}`);
  }
  return data;
}

export const api = {
  guides: () => call('GET', '/api/guides'),
  match: (q) => call('GET', `/api/guides/match?q=${encodeURIComponent(q)}`),
  start: (flowId) => call('POST', '/api/conversations', { flowId }),
  show: (id) => call('GET', `/api/conversations/${encodeURIComponent(id)}`),
  send: (id, body) => call('POST', `/api/conversations/${encodeURIComponent(id)}/events`, body),
};
