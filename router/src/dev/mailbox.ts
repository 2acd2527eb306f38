/**
 * The development mailbox page: the mail the services of this process caught instead of sending (no
 * SMTP_URL), for a person to read and follow its links. Mount it in development only: it shows live tokens.
 *
 *   GET /dev/mailbox       the caught messages, newest first (recipient, subject, time; each opens)
 *   GET /dev/mailbox/:id   one message: subject, sender, recipient, its links, the text part and the HTML part
 *
 * Both answer JSON instead of HTML to a request that prefers it (`Accept: application/json`): the list as
 * `{ messages: [{ id, to, from, subject, caughtAt, links }] }`, a message with its `text` and `html` too; an
 * unknown id is 404 `{ error: { code: 'NOT_FOUND', message } }`. The pages need nothing from the network.
 */
import { escapeHtml, type CaughtMail, type DevMailbox } from '@pyairtable/common/mail';
import { Router, type Request, type Response } from 'express';

/**
 * Inline styles only, the HTML part in a sandboxed srcdoc frame (which inherits this policy: its inline
 * styles apply, its scripts never run), no scripts on the page itself.
 */
export const DEV_MAILBOX_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "frame-src 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const STYLE = `
  body { font: 15px/1.5 -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
  header { background: #24292f; color: #fff; padding: 12px 24px; }
  header a { color: #fff; text-decoration: none; font-weight: 600; }
  main { max-width: 960px; margin: 24px auto; padding: 0 24px; }
  table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid #d0d7de; }
  th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid #d0d7de; vertical-align: top; }
  th { background: #f6f8fa; font-weight: 600; }
  td.time { white-space: nowrap; color: #57606a; }
  a { color: #0969da; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: #fff; border: 1px solid #d0d7de; padding: 12px 16px; }
  dt { font-weight: 600; }
  dd { margin: 0; word-break: break-all; }
  pre { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #d0d7de; padding: 12px 16px; }
  iframe { width: 100%; height: 520px; border: 1px solid #d0d7de; background: #fff; }
  .empty { color: #57606a; }
`;

function page(title: string, productName: string, body: string, { refreshSeconds }: { refreshSeconds?: number } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><a href="/dev/mailbox">${escapeHtml(productName)} · development mailbox</a></header>
<main>
${body}
</main>
</body>
</html>
`;
}

const time = (date: Date) =>
  date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
const messagePath = (message: CaughtMail) => `/dev/mailbox/${encodeURIComponent(message.id)}`;

function listPage(messages: readonly CaughtMail[], productName: string): string {
  const rows = messages
    .map(
      (message) => `<tr>
<td class="time">${escapeHtml(time(message.caughtAt))}</td>
<td>${escapeHtml(message.to)}</td>
<td><a href="${escapeHtml(messagePath(message))}">${escapeHtml(message.subject || '(no subject)')}</a></td>
</tr>`,
    )
    .join('\n');
  const body = messages.length
    ? `<table><thead><tr><th>Caught</th><th>To</th><th>Subject</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : '<p class="empty">No mail caught yet. This page refreshes itself.</p>';
  return page(`Mailbox · ${productName}`, productName, `<h1>Caught mail</h1>\n${body}`, { refreshSeconds: 5 });
}

/** Links inside the HTML part open in a new tab: the frame itself may only show this page's content. */
function withLinksInNewTabs(html: string): string {
  const base = '<base target="_blank">';
  const head = /<head[^>]*>/i.exec(html);
  return head ? `${html.slice(0, head.index + head[0].length)}${base}${html.slice(head.index + head[0].length)}` : `${base}${html}`;
}

function messagePage(message: CaughtMail, productName: string): string {
  const links = message.links.length
    ? `<ul>${message.links.map((link) => `<li><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></li>`).join('')}</ul>`
    : '<p class="empty">No links.</p>';
  const body = `<h1>${escapeHtml(message.subject || '(no subject)')}</h1>
<dl>
<dt>From</dt><dd>${escapeHtml(message.from)}</dd>
<dt>To</dt><dd>${escapeHtml(message.to)}</dd>
<dt>Caught</dt><dd>${escapeHtml(time(message.caughtAt))}</dd>
</dl>
<h2>Links</h2>
${links}
<h2>HTML part</h2>
<iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(withLinksInNewTabs(message.html))}"></iframe>
<h2>Text part</h2>
<pre>${escapeHtml(message.text)}</pre>
<p><a href="/dev/mailbox">← All mail</a></p>`;
  return page(`${message.subject} · Mailbox`, productName, body);
}

const wantsJson = (request: Request) => request.accepts(['html', 'json']) === 'json';

function sendHtml(response: Response, html: string, status = 200): void {
  response.status(status).setHeader('content-security-policy', DEV_MAILBOX_CONTENT_SECURITY_POLICY);
  response.setHeader('cache-control', 'no-store');
  response.type('html').send(html);
}

const summary = ({ id, to, from, subject, caughtAt, links }: CaughtMail) => ({ id, to, from, subject, caughtAt, links });

/** The mailbox's pages, for the router to mount in development (see the top of this file). */
export function devMailboxRoutes(mailbox: DevMailbox, { productName }: { productName: string }): Router {
  const router = Router();
  router.get('/dev/mailbox', (request, response) => {
    const messages = mailbox.list();
    if (wantsJson(request)) {
      response.setHeader('cache-control', 'no-store').json({ messages: messages.map(summary) });
      return;
    }
    sendHtml(response, listPage(messages, productName));
  });
  router.get('/dev/mailbox/:id', (request, response) => {
    const message = mailbox.get(request.params.id);
    if (!message) {
      const text = 'No caught message has this id (the mailbox keeps only the newest, in memory)';
      if (wantsJson(request)) response.status(404).json({ error: { code: 'NOT_FOUND', message: text } });
      else sendHtml(response, page('Not found · Mailbox', productName, `<h1>Not found</h1><p>${escapeHtml(text)}.</p>`), 404);
      return;
    }
    if (wantsJson(request)) {
      response.setHeader('cache-control', 'no-store').json({ ...summary(message), text: message.text, html: message.html });
      return;
    }
    sendHtml(response, messagePage(message, productName));
  });
  return router;
}
