import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ScimClient } from './client.js';
import { staticToken } from './tokens.js';
import type { TransportExchange } from './transport.js';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

describe('the onExchange hook (E-20)', () => {
  it('tells of every request as sent and its answer, retries and failures included', async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      if (hits === 1) {
        res.writeHead(503, { 'content-type': 'application/scim+json' });
        res.end(JSON.stringify({ detail: 'busy' }));
        return;
      }
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/scim+json' });
        res.end(JSON.stringify({ id: 'u1', ...JSON.parse(body) }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
    const seen: TransportExchange[] = [];
    const client = new ScimClient({ baseUrl: url, tokens: staticToken('the-token', url), backoffMs: 1, onExchange: (e) => seen.push(e) });
    await client.createUser({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'a@example.com' });

    expect(seen.map((e) => [e.method, e.url, e.status])).toEqual([
      ['POST', `${url}/Users`, 503],
      ['POST', `${url}/Users`, 201],
    ]);
    expect(seen[1]!.requestHeaders.authorization).toBe('Bearer the-token');
    expect(JSON.parse(seen[1]!.requestBody!)).toMatchObject({ userName: 'a@example.com' });
    expect(JSON.parse(seen[1]!.responseBody!)).toMatchObject({ id: 'u1' });
    expect(seen[1]!.durationMs).toBeGreaterThanOrEqual(0);

    // No answer at all: the exchange says so, with the error, and no status.
    server.closeAllConnections();
    server.close();
    const failed: TransportExchange[] = [];
    const gone = new ScimClient({ baseUrl: url, tokens: staticToken('t', url), maxRetries: 0, onExchange: (e) => failed.push(e) });
    await expect(gone.getUser('u1')).rejects.toThrow();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ method: 'GET', status: null, responseBody: null });
    expect(failed[0]!.error).toBeTruthy();
  });
});
