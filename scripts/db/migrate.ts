// npm run db:migrate [-- --prisma-dir <dir>] [-- --check [--wait <seconds>]]: the migrator's command line, from source.
import '@pyairtable/migrator/cli';
