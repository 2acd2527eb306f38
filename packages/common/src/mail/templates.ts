/** The account-lifecycle messages: each kind rendered to a subject, a plain-text part and an HTML part. */

/** What each kind of message needs. Tokens are the raw tokens of the links (only their hashes are stored). */
export interface MailTemplateParams {
  /** To a new account's address: confirm it. */
  'verify-email': { token: string; displayName?: string | null };
  /** To an account's address: choose a new password. */
  'reset-password': { token: string };
  /** To the new address of an email change: confirm it (the change takes effect only then). */
  'confirm-email-change': { token: string; newEmail: string };
  /** To the old address of an email change: it is being moved to newEmail. Carries no token. */
  'email-change-notice': { newEmail: string };
  /** To an invited address: join the workspace with the role. */
  'workspace-invitation': { token: string; workspaceName: string; invitedByName: string; role: string };
}

export type MailKind = keyof MailTemplateParams;

export const MAIL_KINDS: readonly MailKind[] = [
  'verify-email',
  'reset-password',
  'confirm-email-change',
  'email-change-notice',
  'workspace-invitation',
];

/** Where links point and what the product is called (PUBLIC_APP_URL and PRODUCT_NAME). */
export interface MailBranding {
  productName: string;
  publicAppUrl: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The frontend page each token link opens, relative to PUBLIC_APP_URL. */
export const MAIL_LINK_PATHS = {
  'verify-email': '/verify-email',
  'reset-password': '/reset-password',
  'confirm-email-change': '/confirm-email-change',
  'workspace-invitation': '/invitations/accept',
} as const satisfies Partial<Record<MailKind, string>>;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/**
 * PUBLIC_APP_URL + path + `?token=…`. The path is resolved below PUBLIC_APP_URL's own path, so a frontend
 * served at https://example.com/app/ (with or without the trailing slash) gets https://example.com/app/verify-email.
 */
export function appLink(publicAppUrl: string, path: string, token?: string): string {
  const base = new URL(publicAppUrl);
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  const link = new URL(path.replace(/^\/+/, ''), base);
  if (token !== undefined) link.searchParams.set('token', token);
  return link.toString();
}

/** A message's content before it is laid out: paragraphs, then one call to action. */
interface MailContent {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action: { label: string; url: string };
  /** After the link: why the reader got this, and what to do if it was not them. */
  footnote: string;
}

/** Subjects are one header line: user-provided names must not break it. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Each kind's content; a mapped type, so `CONTENT[kind]` takes exactly that kind's parameters. */
const CONTENT: { [Kind in MailKind]: (params: MailTemplateParams[Kind], branding: MailBranding) => MailContent } = {
  'verify-email': ({ token, displayName }, { productName, publicAppUrl }) => ({
    subject: `Confirm your email address for ${productName}`,
    greeting: displayName ? `Hi ${oneLine(displayName)},` : 'Hi,',
    paragraphs: [`Welcome to ${productName}! Please confirm that this is your email address.`],
    action: { label: 'Confirm email address', url: appLink(publicAppUrl, MAIL_LINK_PATHS['verify-email'], token) },
    footnote: `The link works once and expires. If you did not create a ${productName} account, you can ignore this email.`,
  }),
  'reset-password': ({ token }, { productName, publicAppUrl }) => ({
    subject: `Reset your ${productName} password`,
    greeting: 'Hi,',
    paragraphs: [`Someone asked to reset the password of the ${productName} account with this email address.`],
    action: { label: 'Choose a new password', url: appLink(publicAppUrl, MAIL_LINK_PATHS['reset-password'], token) },
    footnote: 'The link works once and expires soon. If you did not ask for this, ignore this email: your password stays as it is.',
  }),
  'confirm-email-change': ({ token, newEmail }, { productName, publicAppUrl }) => ({
    subject: `Confirm your new email address for ${productName}`,
    greeting: 'Hi,',
    paragraphs: [`Please confirm ${oneLine(newEmail)} as the new email address of your ${productName} account. The change takes effect once you do.`],
    action: { label: 'Confirm new email address', url: appLink(publicAppUrl, MAIL_LINK_PATHS['confirm-email-change'], token) },
    footnote: 'The link works once and expires soon. If you did not ask for this change, ignore this email.',
  }),
  'email-change-notice': ({ newEmail }, { productName, publicAppUrl }) => ({
    subject: `Your ${productName} email address is being changed`,
    greeting: 'Hi,',
    paragraphs: [
      `The email address of your ${productName} account is being changed to ${oneLine(newEmail)}. Once that address is confirmed, sign in with it instead of this one.`,
    ],
    action: { label: `Open ${productName}`, url: appLink(publicAppUrl, '/') },
    footnote: 'If you did not ask for this change, reset your password right away: someone else may be using your account.',
  }),
  'workspace-invitation': ({ token, workspaceName, invitedByName, role }, { productName, publicAppUrl }) => ({
    subject: oneLine(`${invitedByName} invited you to ${workspaceName} on ${productName}`),
    greeting: 'Hi,',
    paragraphs: [
      `${oneLine(invitedByName)} invited you to join the workspace “${oneLine(workspaceName)}” on ${productName} as ${role.toLowerCase()}.`,
    ],
    action: { label: 'Accept the invitation', url: appLink(publicAppUrl, MAIL_LINK_PATHS['workspace-invitation'], token) },
    footnote: 'The link works once and expires. If you did not expect this invitation, you can ignore this email.',
  }),
};

function plainText(content: MailContent, productName: string): string {
  return (
    [content.greeting, ...content.paragraphs, `${content.action.label}:\n${content.action.url}`, content.footnote, `— ${productName}`].join('\n\n') +
    '\n'
  );
}

function html(content: MailContent, productName: string): string {
  const paragraph = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const url = escapeHtml(content.action.url);
  return `<!doctype html>
<html>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2328;font-size:15px;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<p style="margin:0 0 24px;font-weight:600;font-size:18px">${escapeHtml(productName)}</p>
${paragraph(content.greeting)}
${content.paragraphs.map(paragraph).join('\n')}
<p style="margin:24px 0"><a href="${url}" style="display:inline-block;background:#2d6cdf;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600">${escapeHtml(content.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#57606a">Or open this link: <a href="${url}" style="color:#2d6cdf;word-break:break-all">${url}</a></p>
<p style="margin:0;font-size:13px;color:#57606a">${escapeHtml(content.footnote)}</p>
</div>
</body>
</html>
`;
}

/**
 * Renders one message of a kind. Everything interpolated into the HTML part is escaped; both parts carry the
 * link and the product name.
 */
export function renderMail<Kind extends MailKind>(kind: Kind, params: MailTemplateParams[Kind], branding: MailBranding): RenderedMail {
  const content = CONTENT[kind](params, branding);
  return { subject: content.subject, text: plainText(content, branding.productName), html: html(content, branding.productName) };
}
