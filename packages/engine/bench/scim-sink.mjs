// A minimal SCIM 2.0 sink for benchmarks: it keeps users in memory and answers as fast as it
// can. It runs in its own process so its work is not counted in the engine's memory.
// With SINK_LIMIT=R it is a rate-limited app: SINK_LIMIT_KIND `window` (R requests in each
// calendar second) or `bucket` (R a second, bursts of R), answering 429 with a Retry-After of
// SINK_RETRY_AFTER seconds (default 10) beyond the limit.
import { createServer } from 'node:http';

const limit = Number(process.env.SINK_LIMIT ?? 0);
const retryAfter = String(process.env.SINK_RETRY_AFTER ?? 10);
const admit = (() => {
  if (!limit) return () => true;
  if (process.env.SINK_LIMIT_KIND === 'bucket') {
    let tokens = limit;
    let at = Date.now();
    return () => {
      const now = Date.now();
      tokens = Math.min(limit, tokens + ((now - at) / 1000) * limit);
      at = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    };
  }
  let window = 0;
  let count = 0;
  return () => {
    const w = Math.floor(Date.now() / 1000);
    if (w !== window) [window, count] = [w, 0];
    if (count >= limit) return false;
    count++;
    return true;
  };
})();

const users = new Map(); // id -> user
const byUserName = new Map(); // lower-cased userName -> id
let nextId = 1;
const stats = { requests: 0, writes: 0, refused: 0 };
const patchLog = []; // [time, id] of recent PATCHes, for latency measurements

const send = (res, status, body) => {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
const list = (resources, total) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: total, Resources: resources });

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://sink');
    const path = url.pathname.replace(/^\/scim\/v2/, '');
    if (path === '/__stats') return send(res, 200, { ...stats, users: users.size, patches: patchLog.splice(0) });
    if (path === '/__reset') {
      users.clear();
      byUserName.clear();
      stats.requests = 0;
      stats.writes = 0;
      stats.refused = 0;
      return send(res, 204);
    }
    if (!admit()) {
      stats.refused++;
      res.writeHead(429, { 'content-type': 'application/scim+json', 'retry-after': retryAfter });
      return res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429', detail: 'Too many requests' }));
    }
    stats.requests++;
    if (req.method !== 'GET') stats.writes++;
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : null;
    if (path === '/ServiceProviderConfig') return send(res, 200, { patch: { supported: true }, filter: { supported: true, maxResults: 1000 } });
    if (path === '/Users' && req.method === 'GET') {
      const filter = url.searchParams.get('filter');
      if (filter) {
        const m = /^userName eq "(.*)"$/.exec(filter);
        const id = m ? byUserName.get(JSON.parse(`"${m[1]}"`).toLowerCase()) : undefined;
        return send(res, 200, list(id ? [users.get(id)] : [], id ? 1 : 0));
      }
      const start = Number(url.searchParams.get('startIndex') ?? 1);
      const count = Number(url.searchParams.get('count') ?? 100);
      const all = [...users.values()];
      return send(res, 200, list(all.slice(start - 1, start - 1 + count), all.length));
    }
    if (path === '/Users' && req.method === 'POST') {
      const key = String(body.userName).toLowerCase();
      if (byUserName.has(key)) return send(res, 409, { status: '409', scimType: 'uniqueness', detail: 'exists' });
      const id = String(nextId++);
      users.set(id, { ...body, id });
      byUserName.set(key, id);
      return send(res, 201, { ...body, id });
    }
    const m = /^\/Users\/(.+)$/.exec(path);
    if (m && users.has(m[1])) {
      if (req.method === 'PATCH') {
        patchLog.push([Date.now(), m[1]]);
        return send(res, 204);
      }
      if (req.method === 'DELETE') {
        users.delete(m[1]);
        return send(res, 204);
      }
      return send(res, 200, users.get(m[1]));
    }
    return send(res, 404, { status: '404', detail: 'not found' });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
