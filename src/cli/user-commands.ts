import type { Command } from 'commander';
import { OperatorService } from '../server/ops/operators.service.ts';
import { assertCurrentSchema } from '../server/ops/schema.ts';
import { withOperatorDatabase } from './operator-database.ts';
import { formatTable } from './table.ts';

/** Opens the database, checks the schema is the one this build knows, runs one operator action. */
const withOperators = <T>(fn: (ops: OperatorService) => Promise<T>) =>
  withOperatorDatabase(async (db) => {
    await assertCurrentSchema(db);
    return fn(new OperatorService(db));
  });

export function registerUserCommands(program: Command): void {
  const user = program
    .command('user')
    .description('manage accounts (operator; runs as the database owner)');

  user
    .command('list')
    .description('list every account with its resume and application counts')
    .option('--json', 'print JSON instead of a table')
    .action((opts: { json?: boolean }) =>
      withOperators(async (ops) => {
        const users = await ops.listUsers();
        if (opts.json) {
          console.log(JSON.stringify(users, null, 2));
          return;
        }
        if (users.length === 0) {
          console.log('No users yet.');
          return;
        }
        console.log(
          formatTable(
            ['id', 'email', 'name', 'active', 'created_at', 'resumes', 'applications'],
            users.map((u) => [
              u.id,
              u.email,
              u.name,
              u.active ? 'yes' : 'no',
              u.created_at,
              String(u.resumes),
              String(u.applications),
            ]),
          ),
        );
      }),
    );

  user
    .command('disable')
    .argument('<user>', 'id or email')
    .description('stop an account from signing in and end all its sessions now')
    .action((ref: string) =>
      withOperators(async (ops) => {
        const r = await ops.disableUser(ref);
        console.log(
          `${r.user.email} is ${r.changed ? 'now' : 'already'} disabled; ${r.sessions} session(s) ended.`,
        );
      }),
    );

  user
    .command('enable')
    .argument('<user>', 'id or email')
    .description('let a disabled account sign in again')
    .action((ref: string) =>
      withOperators(async (ops) => {
        const r = await ops.enableUser(ref);
        console.log(`${r.user.email} is ${r.changed ? 'now' : 'already'} enabled.`);
      }),
    );

  user
    .command('delete')
    .argument('<user>', 'id or email')
    .description('delete an account and all its data, for good (needs --yes)')
    .option('--yes', 'confirm the deletion')
    .action((ref: string, opts: { yes?: boolean }) =>
      withOperators(async (ops) => {
        const r = await ops.deleteUser(ref, { confirmed: opts.yes === true });
        console.log(
          `Deleted ${r.user.email} with ${r.removed.resumes} resume(s), ${r.removed.applications} application(s) and ${r.removed.documents} document(s).`,
        );
      }),
    );
}
