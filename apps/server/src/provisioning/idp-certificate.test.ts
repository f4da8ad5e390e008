import { describe, expect, it } from 'vitest';
import { AppError, ssoSettingsInputSchema } from '@autoprov/contract';
import { idpCertificate } from '../test/idp-certificate.js';
import { checkIdpCertificate } from './idp-certificate.js';

const refusal = (pem: string, now: Date) => {
  try {
    checkIdpCertificate(pem, now);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).fields;
  }
};

describe('W-1: the IdP certificate', () => {
  it('takes a real certificate, pasted as PEM or as its bare base64 body', () => {
    const bare = idpCertificate.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    for (const pasted of [idpCertificate, `\n  ${idpCertificate}\n`, bare]) {
      const parsed = ssoSettingsInputSchema.parse({ entityId: 'x', ssoUrl: 'https://sso.example.com/saml', certificate: pasted });
      expect(parsed.certificate).toBe(idpCertificate);
      expect(refusal(parsed.certificate, new Date('2027-01-01T00:00:00Z'))).toBeNull();
    }
  });

  it('refuses text shaped like a certificate that does not parse as X.509, next to the field', () => {
    const fake = ssoSettingsInputSchema.parse({ entityId: 'x', ssoUrl: 'https://sso.example.com/saml', certificate: 'MIIBszCCAVmgAwIBAgIUQkAA' });
    expect(refusal(fake.certificate, new Date('2027-01-01T00:00:00Z'))).toEqual({ certificate: expect.stringMatching(/not a readable X\.509 certificate/) });
  });

  it('refuses a certificate that has expired or is not valid yet', () => {
    expect(refusal(idpCertificate, new Date('2050-01-01T00:00:00Z'))).toEqual({ certificate: expect.stringMatching(/expired on 2046-11-20/) });
    expect(refusal(idpCertificate, new Date('2020-01-01T00:00:00Z'))).toEqual({ certificate: expect.stringMatching(/valid only from 2026-11-25/) });
  });

  it('the form schema refuses a plain-http sign-in URL and text that is no certificate at all', () => {
    const result = ssoSettingsInputSchema.safeParse({ entityId: 'x', ssoUrl: 'http://sso.example.com/saml', certificate: 'hello, world' });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(messages).toEqual({
      ssoUrl: 'Enter a full URL, starting with https://',
      certificate: expect.stringMatching(/^Paste one certificate in PEM form/),
    });
  });
});
