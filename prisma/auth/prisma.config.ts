// `npx prisma <command> --config prisma/<subgraph>/prisma.config.ts`: this subgraph's schema, migrations and database.
import { subgraphPrismaConfig } from '../subgraph-prisma-config.js';

export default subgraphPrismaConfig(import.meta.url);
