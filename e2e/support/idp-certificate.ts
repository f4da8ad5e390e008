/** The same real IdP certificate the server's W-1 tests use. */
export { idpCertificate } from '../../apps/server/src/test/idp-certificate.js';
