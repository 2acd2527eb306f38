import { afterEach, describe, expect, it } from '@jest/globals';
import { SUBGRAPH_NAMES } from '@pyairtable/common/subgraphs';
import { checkMigrationDrift } from '@pyairtable/schema-tools';
import { copyProject, repoRoot, type ProjectCopy } from './project-copy.js';

describe('migration drift check', () => {
  let project: ProjectCopy | undefined;
  afterEach(async () => {
    await project?.remove();
    project = undefined;
  });

  it('passes on the repository: every schema.prisma matches what its committed migrations build', async () => {
    const result = await checkMigrationDrift(repoRoot);

    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.notes).toEqual(
      expect.arrayContaining(SUBGRAPH_NAMES.map((subgraph) => `${subgraph}: schema.prisma matches its committed migrations`)),
    );
  });

  it('fails on a model change without a migration, naming the subgraph and printing the missing SQL', async () => {
    project = await copyProject(['users']);
    await project.edit('prisma/users/schema.prisma', '  timezone     String?\n', '  timezone     String?\n  pronouns     String?\n');

    const result = await checkMigrationDrift(project.root);

    expect(result.ok).toBe(false);
    expect(result.failures).toHaveLength(1);
    const [failure] = result.failures;
    expect(failure).toMatch(
      /^users: schema\.prisma differs from what its committed migrations build; author the migration with `npm run db:migration:new -- users <name>`\. Missing SQL:\n/,
    );
    expect(failure).toMatch(/ALTER TABLE "pyairtable_users"\."profiles" ADD COLUMN\s+"pronouns" TEXT;/);
  });

  it('fails on a migration the schema does not describe (the reverse drift), printing the SQL that undoes it', async () => {
    project = await copyProject(['users']);
    await project.write(
      'prisma/users/migrations/20990101000000_stray_index/migration.sql',
      'CREATE INDEX "profiles_email_idx" ON "pyairtable_users"."profiles"("email");\n',
    );

    const result = await checkMigrationDrift(project.root);

    expect(result.failures).toEqual([expect.stringMatching(/^users: .*\n.*DROP INDEX "pyairtable_users"\."profiles_email_idx";/s)]);
  });
});
