import { X509Certificate } from 'node:crypto';
import { AppError } from '@autoprov/contract';

const refuse = (message: string): never => {
  throw new AppError('validation_failed', message, { certificate: message });
};

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * W-1: the IdP certificate must be one the app can check signatures with: a real X.509
 * certificate (parsed, not just shaped like one) that is valid today. The contract has already
 * put it in PEM form.
 */
export function checkIdpCertificate(pem: string, now: Date): void {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return refuse('This is not a readable X.509 certificate: copy it again from your identity provider.');
  }
  const from = new Date(certificate.validFrom);
  const to = new Date(certificate.validTo);
  if (to.getTime() < now.getTime()) refuse(`This certificate expired on ${day(to)}: paste the identity provider's current certificate.`);
  if (from.getTime() > now.getTime()) refuse(`This certificate is valid only from ${day(from)}.`);
}
