// npm run -s keys:generate — a value for the auth subgraph's JWT_KEYS: a new EC P-256 signing key as a JSON array of
// one private JWK with a dated kid. Node's own crypto only, so it runs before `npm install` and needs no package;
// README gives the same as a one-line `node -e` that works in any folder.
// To rotate, put the new key first and keep the old one (its public part is enough) until its tokens have expired.
import { generateKeyPairSync } from 'node:crypto';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
console.log(JSON.stringify([{ kid: `key-${new Date().toISOString().slice(0, 10)}`, ...privateKey.export({ format: 'jwk' }) }]));
