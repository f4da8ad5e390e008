import { errors, type Dispatcher } from 'undici';

/** An answer passed the size the caller accepts; `declared` when its content-length said so up front. */
export class BodyTooLargeError extends Error {
  constructor(
    readonly limit: number,
    readonly declared: number | null,
  ) {
    super(declared !== null ? `The answer is ${declared} bytes; the limit is ${limit}.` : `The answer is more than ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/** The first value of a response header, or null. */
export function headerOf(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** Drops an answer's body unread and closes its connection (undici reports the abort as an error: expected here). */
export function discardBody(res: Dispatcher.ResponseData): void {
  res.body.on('error', () => {});
  res.body.destroy();
}

/**
 * An undici answer's body as text, refused as soon as it passes `maxBytes` (a runaway answer is
 * never held whole) or arrives after `deadline` (a `performance.now()` time): what every call
 * the SCIM client makes to an app reads its answers with.
 */
export async function readCappedText(res: Dispatcher.ResponseData, maxBytes: number, deadline: number): Promise<string> {
  const length = Number(headerOf(res.headers, 'content-length') ?? '0');
  if (length > maxBytes) {
    discardBody(res);
    throw new BodyTooLargeError(maxBytes, length);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      res.body.destroy();
      throw new BodyTooLargeError(maxBytes, null);
    }
    if (performance.now() > deadline) {
      res.body.destroy();
      throw new errors.BodyTimeoutError('The app did not finish its answer in time.');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
