import { randomBytes } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type Provider from 'oidc-provider';
import type { DemoDatabase } from './db/index.js';
import { account, adminSessions, outbox, userPasswords, users, verifiedDomains } from './db/schema.js';
import { page } from './layout.js';
import { SCIM_SCOPE } from './oidc.js';
import { revokeEverything } from './oidc-adapter.js';
import { hashPassword, tokenDigest, verifyPassword } from './passwords.js';
import { signInThrottle } from './throttle.js';
import { productAccessLabels } from './scim.js';

type Env = { Bindings: HttpBindings };

export interface PagesOptions {
  db: DemoDatabase;
  provider: Provider;
  scimResource: string;
  publicUrl: () => string;
}

const ADMIN_ACCOUNT_ID = 'admin';
const sessionCookie = 'demo_admin_session';

/** Sign-in and consent for autoprov's authorization, the Admin Center, and set-password links. */
export function pages({ db, provider, scimResource, publicUrl }: PagesOptions) {
  const app = new Hono<Env>();
  const theAccount = () => db.select().from(account).get()!;

  const adminSession = (c: Context<Env>) => {
    const id = getCookie(c, sessionCookie);
    const row = id ? db.select().from(adminSessions).where(eq(adminSessions.id, tokenDigest(id))).get() : undefined;
    return row && row.expiresAt.getTime() > Date.now() ? row : null;
  };
  const checkCsrf = (c: Context<Env>, form: Record<string, unknown>) => {
    const session = adminSession(c);
    if (!session || form.csrf !== session.csrfToken) throw new Error('csrf');
    return session;
  };
  const signInAdmin = (c: Context<Env>) => {
    const id = randomBytes(24).toString('base64url');
    db.insert(adminSessions).values({ id: tokenDigest(id), csrfToken: randomBytes(24).toString('base64url'), expiresAt: new Date(Date.now() + 8 * 3600_000) }).run();
    setCookie(c, sessionCookie, id, { httpOnly: true, sameSite: 'Lax', path: '/' });
  };
  const throttle = signInThrottle();
  const clientOf = (c: Context<Env>) => c.env.incoming.socket.remoteAddress ?? 'unknown';
  /** The admin's e-mail and password, throttled per address: 'blocked' says nothing of them. */
  const credentialsOk = async (c: Context<Env>, email: unknown, password: unknown): Promise<boolean | 'blocked'> => {
    const client = clientOf(c);
    if (throttle.blocked(client)) return 'blocked';
    const a = theAccount();
    const ok = (await verifyPassword(String(password ?? ''), a.adminPasswordHash)) && String(email ?? '').toLowerCase() === a.adminEmail;
    if (ok) throttle.succeeded(client);
    else throttle.failed(client);
    return ok;
  };
  const tooMany = (c: Context<Env>) =>
    c.html(page('Too many attempts', html`<p class="error" role="alert">Too many failed sign-in attempts. Try again in 15 minutes.</p>`), 429);

  // --- OAuth interaction: sign-in, then consent (W-2) ---
  app.get('/interaction/:uid', async (c) => {
    const details = await provider.interactionDetails(c.env.incoming, c.env.outgoing);
    const uid = details.uid;
    if (details.prompt.name === 'login') {
      return c.html(
        page(
          'Sign in',
          html`<div class="card">
            <h1>Sign in to GoToMeeting</h1>
            <p>autoprov asks to manage the users of your GoToMeeting account. Sign in as the account's admin.</p>
            ${c.req.query('error') ? html`<p class="error" role="alert">Wrong e-mail or password.</p>` : ''}
            <form method="post" action="/interaction/${uid}/login">
              <label>E-mail <input name="email" type="email" autocomplete="username" required /></label>
              <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
              <button type="submit">Sign in</button>
            </form>
          </div>`,
        ),
      );
    }
    const a = theAccount();
    return c.html(
      page(
        'Allow access',
        html`<div class="card">
          <h1>Allow autoprov to manage users?</h1>
          <p>autoprov wants to create, update, suspend and delete the users of GoToMeeting account <strong>${a.accountKey}</strong> and set their product access.</p>
          <form method="post" action="/interaction/${uid}/confirm" style="display:inline"><button type="submit">Allow</button></form>
          <form method="post" action="/interaction/${uid}/abort" style="display:inline"><button type="submit" class="secondary">Deny</button></form>
        </div>`,
      ),
    );
  });

  app.post('/interaction/:uid/login', async (c) => {
    const form = await c.req.parseBody();
    const details = await provider.interactionDetails(c.env.incoming, c.env.outgoing);
    const ok = await credentialsOk(c, form.email, form.password);
    if (ok === 'blocked') return tooMany(c);
    if (!ok) return c.redirect(`/interaction/${details.uid}?error=1`, 303);
    await provider.interactionFinished(c.env.incoming, c.env.outgoing, { login: { accountId: ADMIN_ACCOUNT_ID } }, { mergeWithLastSubmission: false });
    return RESPONSE_ALREADY_SENT;
  });

  app.post('/interaction/:uid/confirm', async (c) => {
    const details = await provider.interactionDetails(c.env.incoming, c.env.outgoing);
    const { clientId, accountId } = { clientId: String(details.params.client_id), accountId: details.session?.accountId ?? ADMIN_ACCOUNT_ID };
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
    if (!grant) throw new Error('grant not found');
    // Grant exactly what the consent screen asked for (oidc-provider's recommended pattern).
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      if (resource === scimResource) grant.addResourceScope(resource, scopes.filter((s) => s === SCIM_SCOPE).join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(c.env.incoming, c.env.outgoing, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return RESPONSE_ALREADY_SENT;
  });

  app.post('/interaction/:uid/abort', async (c) => {
    await provider.interactionFinished(
      c.env.incoming,
      c.env.outgoing,
      { error: 'access_denied', error_description: 'The GoToMeeting admin denied access.' },
      { mergeWithLastSubmission: false },
    );
    return RESPONSE_ALREADY_SENT;
  });

  // --- Admin Center ---
  const nav = (csrf: string) =>
    html`<a href="/admin">Users</a> · <a href="/admin/outbox">Outbox</a> · <a href="/admin/domains">Verified domains</a> · <a href="/admin/password">Change admin password</a> ·
      <form method="post" action="/admin/sign-out" style="display:inline"><input type="hidden" name="csrf" value="${csrf}" /><button class="secondary" type="submit">Sign out</button></form>`;

  app.get('/admin', (c) => {
    const session = adminSession(c);
    if (!session) {
      return c.html(
        page(
          'Sign in',
          html`<div class="card">
            <h1>Admin Center sign-in</h1>
            ${c.req.query('error') ? html`<p class="error" role="alert">Wrong e-mail or password.</p>` : ''}
            <form method="post" action="/admin/sign-in">
              <label>E-mail <input name="email" type="email" required /></label>
              <label>Password <input name="password" type="password" required /></label>
              <button type="submit">Sign in</button>
            </form>
          </div>`,
        ),
      );
    }
    const a = theAccount();
    const rows = db.select().from(users).orderBy(desc(users.createdAt)).all();
    const domains = db.select().from(verifiedDomains).all();
    return c.html(
      page(
        'Users',
        html`<div class="card">
            <h1>Account ${a.accountKey}</h1>
            <p>Account key: <strong>${a.accountKey}</strong> (the number after <code>#accounts/</code> in this page's address).</p>
            <p>Verified domains: ${domains.map((d) => d.name).join(', ')}</p>
            <p>SCIM endpoint: <code>${publicUrl()}/scim/v2/accounts/${a.accountKey}</code></p>
          </div>
          <h2>Users (${rows.length})</h2>
          <table>
            <thead><tr><th>Name</th><th>E-mail</th><th>Status</th><th>Product access</th><th>Created</th></tr></thead>
            <tbody>
              ${rows.map((u) => {
                const name = u.resource.name as { givenName?: string; familyName?: string } | undefined;
                return html`<tr>
                  <td>${name?.givenName ?? ''} ${name?.familyName ?? ''}</td>
                  <td>${u.userName}</td>
                  <td>${u.active ? 'Active' : 'Suspended'}</td>
                  <td>${productAccessLabels[u.productAccess] ?? u.productAccess}</td>
                  <td>${u.createdAt.toISOString()}</td>
                </tr>`;
              })}
            </tbody>
          </table>`,
        nav(session.csrfToken),
      ),
    );
  });

  app.post('/admin/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const ok = await credentialsOk(c, form.email, form.password);
    if (ok === 'blocked') return tooMany(c);
    if (!ok) return c.redirect('/admin?error=1', 303);
    signInAdmin(c);
    return c.redirect(`/admin#accounts/${theAccount().accountKey}`, 303);
  });

  app.post('/admin/sign-out', async (c) => {
    const session = checkCsrf(c, await c.req.parseBody());
    db.delete(adminSessions).where(eq(adminSessions.id, session.id)).run();
    deleteCookie(c, sessionCookie, { path: '/' });
    return c.redirect('/admin', 303);
  });

  app.get('/admin/outbox', (c) => {
    const session = adminSession(c);
    if (!session) return c.redirect('/admin', 303);
    const mails = db.select().from(outbox).orderBy(desc(outbox.id)).all();
    return c.html(
      page(
        'Outbox',
        html`<h1>Outbox (${mails.length})</h1>
          ${mails.map((m) => html`<div class="card"><p><strong>To:</strong> ${m.to}<br /><strong>Subject:</strong> ${m.subject}</p><pre>${m.body}</pre></div>`)}`,
        nav(session.csrfToken),
      ),
    );
  });

  // Seed 002: only addresses in a verified domain can have an account.
  app.get('/admin/domains', (c) => {
    const session = adminSession(c);
    if (!session) return c.redirect('/admin', 303);
    const domains = db.select().from(verifiedDomains).orderBy(verifiedDomains.name).all();
    return c.html(
      page(
        'Verified domains',
        html`<div class="card">
          <h1>Verified domains</h1>
          <p>Users can be created only with an address in one of these domains.</p>
          ${c.req.query('error') ? html`<p class="error" role="alert">${c.req.query('error')}</p>` : ''}
          <ul>
            ${domains.map(
              (d) => html`<li>
                ${d.name}
                <form method="post" action="/admin/domains/remove" style="display:inline">
                  <input type="hidden" name="csrf" value="${session.csrfToken}" /><input type="hidden" name="name" value="${d.name}" />
                  <button type="submit" class="secondary" aria-label="Remove ${d.name}">Remove</button>
                </form>
              </li>`,
            )}
          </ul>
          <form method="post" action="/admin/domains">
            <input type="hidden" name="csrf" value="${session.csrfToken}" />
            <label>Domain <input name="name" required pattern="[a-z0-9.-]+\\.[a-z]{2,}" /></label>
            <button type="submit">Add domain</button>
          </form>
        </div>`,
        nav(session.csrfToken),
      ),
    );
  });

  app.post('/admin/domains', async (c) => {
    const form = await c.req.parseBody();
    checkCsrf(c, form);
    const name = String(form.name ?? '').trim().toLowerCase();
    if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(name)) return c.redirect(`/admin/domains?error=${encodeURIComponent(`${name || 'An empty name'} is not a domain name.`)}`, 303);
    db.insert(verifiedDomains).values({ name }).onConflictDoNothing().run();
    return c.redirect('/admin/domains', 303);
  });

  app.post('/admin/domains/remove', async (c) => {
    const form = await c.req.parseBody();
    checkCsrf(c, form);
    db.delete(verifiedDomains).where(eq(verifiedDomains.name, String(form.name ?? ''))).run();
    return c.redirect('/admin/domains', 303);
  });

  app.get('/admin/password', (c) => {
    const session = adminSession(c);
    if (!session) return c.redirect('/admin', 303);
    const done = c.req.query('done');
    return c.html(
      page(
        'Change admin password',
        html`<div class="card">
          <h1>Change admin password</h1>
          <p>Changing the password revokes every authorization this app has given, autoprov's included: it will need to be authorized again.</p>
          ${done ? html`<p class="ok" role="status">Password changed. Every authorization was revoked.</p>` : ''}
          ${c.req.query('error') ? html`<p class="error" role="alert">${c.req.query('error')}</p>` : ''}
          <form method="post" action="/admin/password">
            <input type="hidden" name="csrf" value="${session.csrfToken}" />
            <label>Current password <input name="current" type="password" required /></label>
            <label>New password <input name="next" type="password" minlength="8" required /></label>
            <button type="submit">Change password</button>
          </form>
        </div>`,
        nav(session.csrfToken),
      ),
    );
  });

  app.post('/admin/password', async (c) => {
    const form = await c.req.parseBody();
    checkCsrf(c, form);
    const a = theAccount();
    if (throttle.blocked(clientOf(c))) return tooMany(c);
    if (!(await verifyPassword(String(form.current ?? ''), a.adminPasswordHash))) {
      throttle.failed(clientOf(c));
      return c.redirect('/admin/password?error=The+current+password+is+wrong.', 303);
    }
    if (String(form.next ?? '').length < 8) return c.redirect('/admin/password?error=Use+at+least+8+characters.', 303);
    db.update(account).set({ adminPasswordHash: await hashPassword(String(form.next)) }).run();
    // M-5: a new admin password revokes the authorization, as GoToMeeting does.
    revokeEverything(db);
    return c.redirect('/admin/password?done=1', 303);
  });

  // --- The welcome e-mail's link ---
  app.get('/set-password', (c) => {
    const token = c.req.query('token') ?? '';
    const mail = db.select().from(outbox).where(eq(outbox.setPasswordToken, token)).get();
    if (!mail || mail.tokenUsedAt) return c.html(page('Set password', html`<p class="error">This link is not valid or was already used.</p>`), 404);
    return c.html(
      page(
        'Choose your password',
        html`<div class="card"><h1>Welcome, ${mail.to}</h1>
          <form method="post" action="/set-password">
            <input type="hidden" name="token" value="${token}" />
            <label>Choose a password <input name="password" type="password" minlength="8" required /></label>
            <button type="submit">Set password</button>
          </form></div>`,
      ),
    );
  });

  app.post('/set-password', async (c) => {
    const form = await c.req.parseBody();
    const mail = db.select().from(outbox).where(eq(outbox.setPasswordToken, String(form.token ?? ''))).get();
    if (!mail || mail.tokenUsedAt) return c.html(page('Set password', html`<p class="error">This link is not valid or was already used.</p>`), 404);
    if (String(form.password ?? '').length < 8) return c.html(page('Set password', html`<p class="error">Use at least 8 characters.</p>`), 400);
    const hash = await hashPassword(String(form.password));
    db.insert(userPasswords).values({ userId: mail.userId, passwordHash: hash }).onConflictDoUpdate({ target: userPasswords.userId, set: { passwordHash: hash } }).run();
    db.update(outbox).set({ tokenUsedAt: new Date() }).where(eq(outbox.id, mail.id)).run();
    return c.html(page('Password set', html`<p class="ok">Your password is set. You can sign in to GoToMeeting.</p>`));
  });

  app.onError((err, c) => {
    if (err.message === 'csrf') return c.html(page('Refused', html`<p class="error">This form expired. Go back, reload and try again.</p>`), 403);
    return c.html(page('Error', html`<p class="error">${err.message}</p>`), 400);
  });

  return app;
}
