import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A gateway on 127.0.0.1 in front of a SCIM server that speaks a dialect some real gateways do
 * (issue 15, item 2): a write on an account that no longer exists, and a userName clash (on a
 * create, or on a PATCH or PUT that renames an account), come back as HTTP 500 with a message in
 * words instead of 404 and 409. Everything else, reads included, passes through unchanged. It
 * can also be taken down (E-16, E-17): while `outage` is set, every request is answered with
 * that status and nothing reaches the server. And it can refuse chosen requests with a 400, as
 * an app refuses one user's data while taking the rest.
 */
export async function startFiveHundredGateway(upstreamBaseUrl: string) {
  const upstream = upstreamBaseUrl.replace(/\/+$/, '');
  const stats = { missingAs500: 0, clashAs500: 0, requests: 0, refusedByOutage: 0, refused: 0 };
  let outage: number | null = null;
  /** Called before a request is forwarded: a test makes the app change under autoprov's feet. */
  let beforeForward: ((method: string, path: string, body: string) => void | Promise<void>) | null = null;
  /** Requests this says yes to are refused with a 400, the way an app refuses one user's data (E-16, L-7). */
  let refuse: ((method: string, path: string, body: string) => boolean) | null = null;

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });

  const server = createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').replace(/^\/gateway/, '');
      const body = await readBody(req);
      stats.requests++;
      if (outage !== null) {
        stats.refusedByOutage++;
        res.writeHead(outage, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ message: `Service Unavailable: the app is down for maintenance (HTTP ${outage}).` }));
      }
      if (refuse?.(method, path, body)) {
        stats.refused++;
        res.writeHead(400, { 'content-type': 'application/scim+json' });
        return void res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidValue', detail: 'The app refuses this user.' }));
      }
      await beforeForward?.(method, path, body);
      const answer = await fetch(`${upstream}${path}`, {
        method,
        headers: Object.fromEntries(['authorization', 'content-type', 'accept'].flatMap((h) => (req.headers[h] ? [[h, String(req.headers[h])]] : []))),
        body: body && method !== 'GET' && method !== 'HEAD' ? body : undefined,
      });
      const text = await answer.text();
      const resource = /^\/(Users|Groups)\/[^/?]+/.test(path);
      if (answer.status === 404 && resource && (method === 'PATCH' || method === 'PUT')) {
        stats.missingAs500++;
        res.writeHead(500, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ message: `Internal Server Error: the object ${path.split('?')[0]} does not exist` }));
      }
      // A userName clash, on a create or on a rename (PATCH or PUT of an account).
      const write = (method === 'POST' && path.startsWith('/Users')) || (/^\/Users\/[^/?]+/.test(path) && (method === 'PATCH' || method === 'PUT'));
      if (answer.status === 409 && write) {
        stats.clashAs500++;
        res.writeHead(500, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ message: 'Internal Server Error: duplicate key value violates unique constraint "user_name"' }));
      }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/scim+json' });
      res.end(text);
    })().catch((err: unknown) => {
      res.writeHead(502);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway`,
    stats,
    beforeForward(hook: typeof beforeForward) {
      beforeForward = hook;
    },
    /** Refuses (400 invalidValue) the requests `which` picks, or, with null, none. */
    refuse(which: typeof refuse) {
      refuse = which;
    },
    /** Takes the app down (every request answered with `status`, e.g. 503) or, with null, back up. */
    outage(status: number | null) {
      outage = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
