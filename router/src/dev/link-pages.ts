/**
 * Development stand-ins for the frontend's pages at the links mail carries. In `npm start`, PUBLIC_APP_URL is the
 * router's own address, so a link followed from /dev/mailbox lands here and does what the frontend would:
 *
 *   GET /verify-email?token=…           runs verifyEmail(token) and shows the outcome
 *   GET /confirm-email-change?token=…   runs confirmEmailChange(token) and shows the outcome
 *   GET /reset-password?token=…         a form for the new password, then resetPassword(token, newPassword)
 *   GET /invitations/accept?token=…     a field for a bearer access token, then acceptWorkspaceInvitation(token)
 *
 * Each page calls POST /graphql from the browser (fetch), like any client. Mount them in development only. The
 * pages need nothing from the network; their inline script and style are allowed by hash, nothing else is.
 */
import { createHash } from 'node:crypto';
import { MAIL_LINK_PATHS, escapeHtml } from '@pyairtable/common/mail';
import { Router, type Response } from 'express';

const STYLE = `
  body { font: 15px/1.5 -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
  header { background: #24292f; color: #fff; padding: 12px 24px; font-weight: 600; }
  main { max-width: 560px; margin: 32px auto; padding: 24px; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
  h1 { font-size: 22px; margin-top: 0; }
  label { display: block; margin: 12px 0 4px; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: 8px; font: inherit; border: 1px solid #d0d7de; border-radius: 6px; }
  button { margin-top: 16px; padding: 8px 16px; font: inherit; font-weight: 600; color: #fff; background: #1f883d; border: 0; border-radius: 6px; cursor: pointer; }
  button:disabled { opacity: 0.6; cursor: default; }
  #outcome { margin-top: 16px; padding: 12px; border-radius: 6px; background: #f6f8fa; }
  #outcome[data-state="done"] { background: #dafbe1; }
  #outcome[data-state="failed"] { background: #ffebe9; }
  #outcome:empty { display: none; }
  .hint { color: #57606a; font-size: 13px; }
  form[hidden] { display: none; }
`;

/**
 * What every page's script starts with: the token from the address (then removed from it, so it stays out of the
 * history), a GraphQL call to this router, and the outcome shown as text (never as HTML).
 */
const COMMON_SCRIPT = `
const token = new URLSearchParams(location.search).get('token') || '';
history.replaceState(null, '', location.pathname);
const outcome = document.getElementById('outcome');
function show(state, text) {
  outcome.dataset.state = state;
  outcome.textContent = text;
}
function failure(errors) {
  const [first] = errors || [];
  const code = first && first.extensions ? first.extensions.code : undefined;
  if (code === 'NOT_FOUND') return 'This link is unknown, already used or expired. Ask for a new one.';
  return (first ? first.message : 'The graph did not answer') + (code ? ' (' + code + ')' : '');
}
async function callGraph(query, variables, bearer) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (bearer) headers.authorization = 'Bearer ' + bearer;
  try {
    const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = await response.json();
    return body.errors ? { error: failure(body.errors) } : { data: body.data };
  } catch (error) {
    return { error: 'Could not reach the graph: ' + error.message };
  }
}
`;

interface LinkPage {
  path: string;
  title: string;
  /** The page's own markup inside <main>, after its heading; #outcome follows it. */
  body: string;
  /** Runs after COMMON_SCRIPT, in the same scope. */
  script: string;
}

const NO_TOKEN = "'This address has no token: open the link from the mail.'";
const MISSING_TOKEN = `if (!token) show('failed', ${NO_TOKEN});`;
/** A form page without a token has nothing to submit. */
const MISSING_TOKEN_HIDES_FORM = `if (!token) {
  form.hidden = true;
  show('failed', ${NO_TOKEN});
}`;

const PAGES: LinkPage[] = [
  {
    path: MAIL_LINK_PATHS['verify-email'],
    title: 'Verify your email',
    body: '<p>Confirming the address this link was sent to…</p>',
    script: `${MISSING_TOKEN}
else callGraph('mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { email emailVerified } }', { token }).then(({ data, error }) => {
  if (error) show('failed', error);
  else show('done', data.verifyEmail.email + ' is verified. You can close this page.');
});`,
  },
  {
    path: MAIL_LINK_PATHS['confirm-email-change'],
    title: 'Confirm your new email',
    body: '<p>Moving the account to the address this link was sent to…</p>',
    script: `${MISSING_TOKEN}
else callGraph('mutation ConfirmEmailChange($token: String!) { confirmEmailChange(token: $token) { email } }', { token }).then(({ data, error }) => {
  if (error) show('failed', error);
  else show('done', 'Your account\\'s email is now ' + data.confirmEmailChange.email + '. Sign in with it from now on.');
});`,
  },
  {
    path: MAIL_LINK_PATHS['reset-password'],
    title: 'Choose a new password',
    body: `<form id="form">
<label for="new-password">New password</label>
<input id="new-password" name="new-password" type="password" autocomplete="new-password" minlength="8" required>
<label for="repeat-password">Repeat it</label>
<input id="repeat-password" name="repeat-password" type="password" autocomplete="new-password" minlength="8" required>
<button id="submit" type="submit">Set the password</button>
<p class="hint">Every session of the account is signed out.</p>
</form>`,
    script: `const form = document.getElementById('form');
${MISSING_TOKEN_HIDES_FORM}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const newPassword = document.getElementById('new-password').value;
  if (newPassword !== document.getElementById('repeat-password').value) return show('failed', 'The two passwords differ.');
  document.getElementById('submit').disabled = true;
  const { data, error } = await callGraph(
    'mutation ResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) { user { email } } }',
    { token, newPassword },
  );
  if (error) {
    document.getElementById('submit').disabled = false;
    return show('failed', error);
  }
  form.hidden = true;
  show('done', 'The password of ' + data.resetPassword.user.email + ' is changed; every other session is signed out.');
});`,
  },
  {
    path: MAIL_LINK_PATHS['workspace-invitation'],
    title: 'Join a workspace',
    body: `<form id="form">
<label for="bearer-token">Your access token</label>
<input id="bearer-token" name="bearer-token" type="password" autocomplete="off" placeholder="the accessToken of login or register" required>
<p class="hint">Sign in as the invited address (the login mutation, e.g. in /graphiql) and paste its accessToken: the frontend would do this for you.</p>
<button id="submit" type="submit">Accept the invitation</button>
</form>`,
    script: `const form = document.getElementById('form');
${MISSING_TOKEN_HIDES_FORM}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  document.getElementById('submit').disabled = true;
  const bearer = document.getElementById('bearer-token').value.trim();
  const { data, error } = await callGraph(
    'mutation AcceptInvitation($token: String!) { acceptWorkspaceInvitation(token: $token) { id name } }',
    { token },
    bearer,
  );
  if (error) {
    document.getElementById('submit').disabled = false;
    return show('failed', error);
  }
  form.hidden = true;
  show('done', 'You are now a member of ' + data.acceptWorkspaceInvitation.name + '.');
});`,
  },
];

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Only this page's script and the shared style run; the page may call this router and nothing else. */
export function linkPageContentSecurityPolicy(script: string): string {
  return [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(STYLE)}`,
    "connect-src 'self'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function render(page: LinkPage, productName: string): { html: string; policy: string } {
  const script = `${COMMON_SCRIPT}${page.script}\n`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · ${escapeHtml(productName)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>${escapeHtml(productName)} · development stand-in for the frontend</header>
<main>
<h1>${escapeHtml(page.title)}</h1>
${page.body}
<p id="outcome" role="status" aria-live="polite"></p>
</main>
<script>${script}</script>
</body>
</html>
`;
  return { html, policy: linkPageContentSecurityPolicy(script) };
}

function sendPage(response: Response, { html, policy }: { html: string; policy: string }): void {
  response.setHeader('content-security-policy', policy);
  // The address carries a live token: keep it out of caches.
  response.setHeader('cache-control', 'no-store');
  response.type('html').send(html);
}

/** The pages at the mail links, for the router to mount in development (see the top of this file). */
export function devLinkPages({ productName }: { productName: string }): Router {
  const router = Router();
  for (const page of PAGES) {
    const rendered = render(page, productName);
    router.get(page.path, (_request, response) => sendPage(response, rendered));
  }
  return router;
}
