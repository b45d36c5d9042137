/*
 * A real OpenID Connect provider for the tests: the certified `oidc-provider` package (npm,
 * pinned in package.json) on 127.0.0.1, started once per test session by tests/support/oidc/__init__.py.
 *
 * Usage: node tests/support/oidc/provider.mjs <port>
 * Prints "ready <issuer>" on stdout once it listens.
 *
 * - Clients: `secondlook` (the server under test: confidential, code flow with PKCE, refresh
 *   tokens) and `other-app` (another application of the same school: its ID tokens carry the
 *   wrong audience for Second Look). Any http://127.0.0.1:<port>/… or http://localhost/…
 *   redirect is accepted, because the test servers pick free ports.
 * - Accounts: one test user per domain (see ACCOUNTS); the `groups` claim maps to roles.
 * - Log-in: a plain HTML form (email field, "Sign in" button) a browser test fills in; or,
 *   without any page, the account named by POST /test/auto-login (used where no page can be
 *   driven, e.g. a non-browser flow). Consent is granted automatically (first-party clients).
 * - Test controls (this process only): POST /test/auto-login {email|null}, POST /test/remove
 *   {email} (the account disappears, as when IT deletes it), POST /test/restore {email},
 *   POST /test/end-sessions {email} (as when the person signs out of the provider everywhere).
 */
import http from "node:http";
import crypto from "node:crypto";
import Provider from "oidc-provider";

const port = Number(process.argv[2] || 0);
const issuer = `http://127.0.0.1:${port}`;

const ACCOUNTS = {
  "teacher@school.test": { name: "Tessa Teacher", groups: [], email_verified: true },
  "head@school.test": { name: "Hana Head", groups: ["sl-admins"], email_verified: true },
  "reviewer@school.test": { name: "Rui Reviewer", groups: ["sl-reviewers"], email_verified: true },
  "second@school.test": { name: "Sam Second", groups: [], email_verified: true },
  "unverified@school.test": { name: "Una Unverified", groups: [], email_verified: false },
  "outsider@elsewhere.test": { name: "Otto Outsider", groups: [], email_verified: true },
};
const removed = new Set();
let autoLogin = null;

const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-key-1", use: "sig", alg: "RS256" };

const configuration = {
  clients: [
    {
      client_id: "secondlook",
      client_secret: "secondlook-test-secret",
      redirect_uris: ["http://127.0.0.1/signin/callback"],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      post_logout_redirect_uris: ["http://127.0.0.1/"],
    },
    {
      client_id: "other-app",
      client_secret: "other-app-secret",
      redirect_uris: ["http://127.0.0.1/other/callback"],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: [crypto.randomBytes(32).toString("hex")] },
  scopes: ["openid", "email", "profile", "groups", "offline_access"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  conformIdTokenClaims: false, // put email and groups in the ID token, as Entra and Google do
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  // A refresh token for every code-flow client; without offline_access it ends with the
  // provider session, so signing out of the provider ends it.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed("refresh_token"),
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: { IdToken: 3600, AccessToken: 3600, Session: 86400, Grant: 86400, Interaction: 600, AuthorizationCode: 60,
         RefreshToken: 86400 },
  async findAccount(ctx, sub) {
    const account = ACCOUNTS[sub];
    if (!account || removed.has(sub)) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email: sub, email_verified: account.email_verified, name: account.name, groups: account.groups };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile groups offline_access");
    grant.addOIDCClaims(["email", "email_verified", "name", "groups"]);
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = "html";
    ctx.body = `<!doctype html><title>Provider error</title><h1>Provider error</h1><pre id="error">${escape(JSON.stringify(out))}</pre>`;
  },
};

const oidc = new Provider(issuer, configuration);
oidc.proxy = false;

// The test servers listen on free ports: accept any port on the loopback hosts, exact paths only.
const allowedPaths = new Set(["/signin/callback", "/other/callback"]);
oidc.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  try {
    const url = new URL(value);
    return url.protocol === "http:" && ["127.0.0.1", "localhost"].includes(url.hostname)
      && allowedPaths.has(url.pathname) && !url.search && !url.hash;
  } catch (err) {
    return false;
  }
};

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res, status, body, type = "application/json") {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

function loginForm(uid, clientId, message) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test school sign-in</title></head>
<body><h1>Test school: sign in</h1><p>Signing in to ${escape(clientId)}.</p>
${message ? `<p id="message">${escape(message)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="email">School e-mail</label> <input id="email" name="email" type="email" autofocus>
<button type="submit" id="sign-in">Sign in</button></form></body></html>`;
}

async function finishLogin(req, res, email) {
  await oidc.interactionFinished(req, res, { login: { accountId: email } }, { mergeWithLastSubmission: false });
}

async function interaction(req, res, url) {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
  if (!match) return false;
  const details = await oidc.interactionDetails(req, res);
  if (details.prompt.name !== "login") {
    // Consent is never needed (loadExistingGrant grants it); anything else finishes as is.
    await oidc.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    return true;
  }
  if (req.method === "POST" && match[2]) {
    const form = new URLSearchParams(await readBody(req));
    const email = (form.get("email") || "").trim().toLowerCase();
    if (!ACCOUNTS[email] || removed.has(email)) {
      send(res, 200, loginForm(details.uid, details.params.client_id, "No such account."), "text/html");
      return true;
    }
    await finishLogin(req, res, email);
    return true;
  }
  if (autoLogin && !removed.has(autoLogin)) {
    await finishLogin(req, res, autoLogin);
    return true;
  }
  send(res, 200, loginForm(details.uid, details.params.client_id, ""), "text/html");
  return true;
}

async function controls(req, res, url) {
  if (!url.pathname.startsWith("/test/") || req.method !== "POST") return false;
  const body = JSON.parse((await readBody(req)) || "{}");
  const email = body.email ? String(body.email).toLowerCase() : null;
  switch (url.pathname) {
    case "/test/auto-login":
      autoLogin = email;
      break;
    case "/test/remove":
      removed.add(email);
      break;
    case "/test/restore":
      removed.delete(email);
      break;
    case "/test/end-sessions":
      // What "sign out everywhere" does at a real provider: every grant of the person ends.
      await endGrants(email);
      break;
    default:
      send(res, 404, { error: "unknown control" });
      return true;
  }
  send(res, 200, { ok: true, autoLogin });
  return true;
}

// The default in-memory adapter: remember each grant issued, so end-sessions can destroy them.
const grantsByAccount = new Map();
oidc.on("grant.saved", (grant) => {
  const list = grantsByAccount.get(grant.accountId) || new Set();
  list.add(grant.jti);
  grantsByAccount.set(grant.accountId, list);
});

async function endGrants(email) {
  for (const jti of grantsByAccount.get(email) || []) {
    const grant = await oidc.Grant.find(jti);
    if (grant) await grant.destroy();
  }
  grantsByAccount.delete(email);
}

const handler = oidc.callback();
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  try {
    if (await controls(req, res, url)) return;
    if (await interaction(req, res, url)) return;
  } catch (err) {
    send(res, 500, { error: String(err && err.message) });
    return;
  }
  handler(req, res);
});
server.listen(port, "127.0.0.1", () => {
  process.stdout.write(`ready ${issuer}\n`);
});
// Stop at once: nothing here needs keeping, and keep-alive connections would hold close() open.
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
