/** Who is calling: the router's credential that subgraphs trust, and the revocation list of access tokens. */
export * from './router-credential.js';
export * from './revocations.js';
export * from './revocation-sync.js';
export * from './email.js';
