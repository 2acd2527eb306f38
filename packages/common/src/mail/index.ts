/** Outgoing mail: settings, templates, the outgoing-mail queue, its relay, transports and the dev mailbox. */
export * from './settings.js';
export * from './templates.js';
export * from './dev-mailbox.js';
export * from './transport.js';
export * from './store.js';
export * from './relay.js';
export * from './mailer.js';
