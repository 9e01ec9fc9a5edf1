// Web sign-in, and the web UI's pages for a signed-in browser:
// - GET /?token=TOKEN: the local admin token (or an API key), as in the address `gatelog serve`
//   prints, becomes a session cookie; the answer redirects to / so the token leaves the address bar.
// - GET /auth/login → the identity provider (OIDC authorization code flow with PKCE S256; state,
//   nonce and the verifier in a short-lived signed cookie) → GET /auth/callback: the code is exchanged
//   at the token endpoint, the id_token verified (issuer, audience = client id, nonce), the browser
//   signed in.
// - POST /auth/logout ends the session.
// - GET / and GET /ui/* (the UI's own addresses, web/src/app/pages.ts) answer the web UI's shell
//   page (web-app.ts) to a signed-in browser, and the sign-in page to any other.
// The session itself is src/api/auth/session.ts; docs/security.md tells the whole story.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatelogError } from '../../../errors.js';
import type { Authenticator } from '../../auth/authenticate.js';
import type { Caller } from '../../auth/caller.js';
import { DIRECTORY_ROLES, READ_APP_ROLE } from '../../auth/jwt.js';
import type { WebApp } from './web-app.js';
import { checkCsrf, clearedCookies, FLOW_COOKIE, FLOW_TTL_SECONDS, parseCookies, randomToken, serializeCookie, SESSION_COOKIE, type SignInFlow } from '../../auth/session.js';

export interface WebSignInDeps {
  auth: Authenticator;
  /** Served over TLS (the redirect URI's scheme when none is configured). */
  tls: boolean;
  /** The built web UI (null when dist/web is missing: a signed-in browser is told how to build it). */
  web?: WebApp | null;
}

const EXCHANGE_TIMEOUT_MS = 10_000;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small page (no script: the Content-Security-Policy allows none inline). */
function page(title: string, bodyHtml: string, refreshTo?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refreshTo ? `<meta http-equiv="refresh" content="0;url=${escapeHtml(refreshTo)}">\n` : ''}<title>${escapeHtml(title)}</title>
</head>
<body>
<main>
<h1>Gatelog</h1>
${bodyHtml}
</main>
</body>
</html>
`;
}

function sendHtml(reply: FastifyReply, html: string): FastifyReply {
  return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function oneParam(query: unknown, name: string): string | undefined {
  const v = (query as Record<string, unknown>)[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new GatelogError('Request_BadRequest', `Query parameter '${name}' was given more than once.`);
  return v;
}

const ROLE_HINT = `a directory role that reads sign-in logs (${DIRECTORY_ROLES.map((r) => r.name).join(', ')}) or the ${READ_APP_ROLE} application role`;

export function registerWebSignIn(app: FastifyInstance, deps: WebSignInDeps): void {
  const { auth } = deps;
  const sessions = auth.sessions;

  const signIn = (reply: FastifyReply, caller: Caller, extraCookies: string[] = []): void => {
    reply.header('set-cookie', [...extraCookies, ...sessions.cookiesFor(sessions.issue(caller))]);
    reply.header('cache-control', 'no-store');
  };

  // A signed-in browser gets the web UI; any other the sign-in page.
  const home = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const cookie = request.headers.cookie ? parseCookies(request.headers.cookie).get(SESSION_COOKIE) : undefined;
    const current = cookie ? auth.session(cookie) : null;
    if (current) {
      if (deps.web) return sendHtml(reply, deps.web.shell(current.caller.name));
      return sendHtml(reply, page('Gatelog', `<p>Signed in as ${escapeHtml(current.caller.name)}.</p>\n<p>The web UI is not built here (run <code>npm run build</code>); the API is described in <a href="/openapi.json">/openapi.json</a>.</p>`));
    }
    const how = auth.oidc?.webSignIn
      ? '<p><a href="/auth/login">Sign in</a> with your organization\'s account.</p>'
      : '<p>Open the address <code>gatelog serve</code> printed (it ends in <code>?token=…</code>) to sign in.</p>';
    return sendHtml(reply, page('Gatelog: sign in', how));
  };

  app.get('/ui/*', async (request, reply) => home(request, reply));

  app.get('/', async (request, reply) => {
    const token = oneParam(request.query, 'token');
    if (token !== undefined) {
      // The token comes from the address `serve` printed, opened by hand: refuse it from another
      // site's link (someone else's token would sign this browser in as them).
      const site = request.headers['sec-fetch-site'];
      if (site === 'cross-site' || site === 'same-site') {
        throw new GatelogError('Authorization_RequestDenied', 'Sign-in with ?token= is refused when another site links to it: paste the address into the address bar.');
      }
      const caller = await auth.fromToken(token);
      signIn(reply, caller);
      // 303: the next request is a plain GET of /, without the token in the address.
      return reply.redirect('/', 303);
    }
    return home(request, reply);
  });

  const webOidc = () => {
    const oidc = auth.oidc;
    if (!oidc?.webSignIn) {
      throw new GatelogError('Request_ResourceNotFound', 'Web sign-in through an identity provider is not configured here (gatelog serve --oidc-issuer URL --oidc-client-id ID): open the address gatelog serve printed, with ?token=.');
    }
    return oidc;
  };

  app.get('/auth/login', async (request, reply) => {
    const oidc = webOidc();
    const issuer = oidc.loginIssuer;
    const meta = await oidc.metadataOf(issuer);
    if (!meta.authorization_endpoint || !meta.token_endpoint) {
      throw new GatelogError('InvalidAuthenticationToken', `Web sign-in cannot start: the OpenID configuration of ${issuer} names no authorization or token endpoint.`);
    }
    const redirectUri = oidc.config.redirectUri ?? `${deps.tls ? 'https' : request.protocol}://${request.host}/auth/callback`;
    const flow: SignInFlow = {
      typ: 'oidc-flow',
      issuer,
      state: randomToken(),
      nonce: randomToken(),
      verifier: randomToken(48),
      redirectUri,
      exp: Math.floor(Date.now() / 1000) + FLOW_TTL_SECONDS,
    };
    const url = new URL(meta.authorization_endpoint);
    const p = url.searchParams;
    p.set('client_id', oidc.config.clientId as string);
    p.set('response_type', 'code');
    p.set('redirect_uri', redirectUri);
    p.set('response_mode', 'query');
    p.set('scope', 'openid profile');
    p.set('state', flow.state);
    p.set('nonce', flow.nonce);
    p.set('code_challenge', createHash('sha256').update(flow.verifier).digest('base64url'));
    p.set('code_challenge_method', 'S256');
    // SameSite=Lax: the identity provider sends the browser back with a top-level GET from its own
    // site, which a Strict cookie would not accompany. Path: only the callback sees it.
    reply.header('set-cookie', serializeCookie(FLOW_COOKIE, sessions.seal(flow), { httpOnly: true, sameSite: 'Lax', path: '/auth/callback', maxAge: FLOW_TTL_SECONDS }));
    reply.header('cache-control', 'no-store');
    return reply.redirect(url.href, 302);
  });

  app.get('/auth/callback', async (request, reply) => {
    const oidc = webOidc();
    const clearFlow = serializeCookie(FLOW_COOKIE, '', { httpOnly: true, sameSite: 'Lax', path: '/auth/callback', maxAge: 0 });
    reply.header('set-cookie', clearFlow);
    reply.header('cache-control', 'no-store');
    const flowText = parseCookies(request.headers.cookie).get(FLOW_COOKIE);
    const flow = flowText ? sessions.readFlow(flowText) : null;
    if (!flow) throw new GatelogError('InvalidAuthenticationToken', 'Sign-in failed: this sign-in was not started in this browser, or took longer than 10 minutes. Start again at /auth/login.');
    const error = oneParam(request.query, 'error');
    if (error !== undefined) {
      const description = oneParam(request.query, 'error_description');
      throw new GatelogError('InvalidAuthenticationToken', `The identity provider refused the sign-in: ${error.slice(0, 100)}${description ? `: ${description.slice(0, 300)}` : ''}.`);
    }
    const state = oneParam(request.query, 'state');
    if (state === undefined || !equal(state, flow.state)) throw new GatelogError('InvalidAuthenticationToken', 'Sign-in failed: the state does not match the sign-in this browser started. Start again at /auth/login.');
    const code = oneParam(request.query, 'code');
    if (!code) throw new GatelogError('InvalidAuthenticationToken', 'Sign-in failed: the identity provider sent no authorization code.');
    const meta = await oidc.metadataOf(flow.issuer);
    if (!meta.token_endpoint) throw new GatelogError('InvalidAuthenticationToken', `Sign-in failed: the OpenID configuration of ${flow.issuer} names no token endpoint.`);
    const idToken = await exchangeCode(meta.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: flow.redirectUri,
      client_id: oidc.config.clientId as string,
      code_verifier: flow.verifier,
      ...(oidc.config.clientSecret ? { client_secret: oidc.config.clientSecret } : {}),
    });
    const caller = await oidc.verifyIdToken(idToken, flow.issuer, flow.nonce);
    if (caller.scopes.size === 0) {
      throw new GatelogError('Authorization_RequestDenied', `${caller.name} signed in, but may not read sign-in logs here: that needs ${ROLE_HINT}.`);
    }
    signIn(reply, caller, [clearFlow]);
    // A page rather than a redirect: after a navigation that came from the identity provider's site,
    // browsers would not send the SameSite=Strict session cookie along a redirect chain; the refresh
    // below is a navigation from this site, which does.
    return sendHtml(reply, page('Gatelog: signed in', `<p>Signed in as ${escapeHtml(caller.name)}. <a href="/">Continue</a>.</p>`, '/'));
  });

  app.post('/auth/logout', async (request: FastifyRequest, reply: FastifyReply) => {
    const cookie = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    const current = cookie ? auth.session(cookie) : null;
    if (current) {
      checkCsrf(request, current.session);
      sessions.revoke(current.session);
    }
    reply.header('set-cookie', clearedCookies());
    reply.header('cache-control', 'no-store');
    return reply.code(204).send();
  });
}

/** Exchanges an authorization code at the token endpoint; returns the id_token, or a 401 saying why not. */
async function exchangeCode(tokenEndpoint: string, form: Record<string, string>): Promise<string> {
  let r: Response;
  try {
    r = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (e) {
    throw new GatelogError('InvalidAuthenticationToken', `Sign-in failed: the identity provider's token endpoint could not be reached (${e instanceof Error ? e.message : String(e)}); try again.`);
  }
  let body: Record<string, unknown> | null;
  try {
    body = (await r.json()) as Record<string, unknown>;
  } catch {
    body = null;
  }
  const idToken = body?.['id_token'];
  if (!r.ok || typeof idToken !== 'string') {
    const err = typeof body?.['error'] === 'string' ? body['error'].slice(0, 100) : `HTTP ${r.status}`;
    const desc = typeof body?.['error_description'] === 'string' ? `: ${body['error_description'].slice(0, 300)}` : '';
    throw new GatelogError('InvalidAuthenticationToken', `Sign-in failed: the identity provider did not exchange the code (${err}${desc}).`);
  }
  return idToken;
}
