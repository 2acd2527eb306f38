// npm run db:template (run by `npm install` too): makes the embedded database template a fresh `npm start` copies.
import { prepareTemplate } from './embedded-database.js';

const started = performance.now();
const template = await prepareTemplate((line) => console.log(line));
console.log(`embedded database template ready in ${Math.round(performance.now() - started)} ms: ${template}`);
