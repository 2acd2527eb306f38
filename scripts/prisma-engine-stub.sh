#!/bin/sh
# Stands in for Prisma's native schema engine, which the CLI would download from a host this project cannot
# rely on. `prisma generate` never runs it; anything that would (migrate, db push) fails loudly instead of
# exiting 0 having done nothing. Migrations go through scripts/db/ instead.
echo "Prisma's native schema engine is not used by this project: use npm run db:migrate / db:migration:new" >&2
exit 1
