import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// A real SMTP server (from the nodemailer project) on 127.0.0.1 that keeps what it receives:
// L-7's e-mails are checked as a mailbox would see them, by the server tests and the e2e journey.

export interface Mail {
  to: string[];
  subject: string;
  body: string;
}

/** An SMTP server on 127.0.0.1 that keeps what it receives. */
export async function startSmtpInbox() {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const [head = '', ...rest] = raw.split('\r\n\r\n');
        const headers = head.replace(/\r\n[ \t]+/g, ' ');
        let body = rest.join('\r\n\r\n');
        if (/content-transfer-encoding:\s*quoted-printable/i.test(headers)) {
          body = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
        }
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: /^subject: (.*)$/im.exec(headers)?.[1] ?? '', body });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { mails, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
