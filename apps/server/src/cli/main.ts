import { Command } from 'commander';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openContext, writeServerLock } from '../context.ts';
import { registerAuditCommands } from '../modules/audit/audit.cli.ts';
import { startRetentionScheduler } from '../modules/compliance/compliance.service.ts';
import { registerComplianceCheckCommand } from '../modules/compliance/compliance-check.cli.ts';
import { registerGoldenCommands } from '../modules/golden/golden.cli.ts';
import { registerIdentityCommands } from '../modules/identity/identity.cli.ts';
import { registerImportCommands } from '../modules/import/import.cli.ts';
import { startModelScheduler } from '../modules/models/bank-models.service.ts';
import { registerModelCommands } from '../modules/models/models.cli.ts';
import { registerSynthCommands } from '../modules/synth/synth.cli.ts';
import { registerTagCommands } from '../modules/tags/tags.cli.ts';
import { startTagScheduler } from '../modules/tags/tags.service.ts';
import { registerUserCommands } from '../modules/users/users.cli.ts';
import { runCommand } from './output.ts';

const program = new Command('lingxi')
  .description('Lingxi (灵犀) — retail-banking customer intelligence and marketing platform')
  .option('--json', 'print exactly one JSON object on stdout (logs and progress go to stderr)')
  .showHelpAfterError();

async function serve(opts: { ensureDemo: boolean }): Promise<void> {
  const config = loadConfig();
  const ctx = await openContext({ config, forServer: true });
  ctx.pending = new Set(opts.ensureDemo ? ['demo bank'] : []);
  const app = await buildApp(ctx);
  const address = await app.listen({ port: config.port, host: config.host });
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  const releaseLock = writeServerLock(config, url);
  process.stderr.write(`Lingxi is running at ${url}  (API docs: ${url}/docs)\n`);
  let stopTagScheduler = () => {};
  let stopModelScheduler = () => {};
  let stopRetentionScheduler = () => {};
  const shutdown = async () => {
    releaseLock();
    stopTagScheduler();
    stopModelScheduler();
    stopRetentionScheduler();
    await app.close();
    await ctx.stores.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  if (opts.ensureDemo) {
    try {
      const { ensureDemoBank } = await import('./demo.ts');
      await ensureDemoBank(ctx);
    } catch (err) {
      process.stderr.write(`lingxi: creating the demo bank failed: ${(err as Error).message}\n`);
      await shutdown();
    }
    ctx.pending.delete('demo bank');
    process.stderr.write(`lingxi: ready — open ${url}\n`);
  }
  stopTagScheduler = startTagScheduler(ctx);
  stopModelScheduler = startModelScheduler(ctx);
  stopRetentionScheduler = startRetentionScheduler(ctx);
}

program
  .command('serve')
  .description('run the API (and console) on the configured stores')
  .action(async () => serve({ ensureDemo: false }));

program
  .command('start')
  .description('first run: create the data dir and a demo bank; then serve (what `npm start` runs)')
  .action(async () => serve({ ensureDemo: true }));

program
  .command('migrate')
  .description('apply pending migrations to both stores')
  .action(async (_o, cmd: Command) =>
    runCommand(
      cmd,
      async () => {
        const ctx = await openContext();
        const result = { ok: true, operational: ctx.stores.op.kind, analytics: ctx.stores.an.kind };
        await ctx.stores.close();
        return result;
      },
      (r) => `migrations applied (operational=${r.operational}, analytics=${r.analytics})`,
    ),
  );

registerComplianceCheckCommand(program);
registerModelCommands(program, () => openContext());
registerIdentityCommands(program);
registerGoldenCommands(program, () => openContext());

registerUserCommands(program, () => openContext());
registerAuditCommands(program, () => openContext());
registerSynthCommands(program, () => openContext());
registerTagCommands(program, () => openContext());
registerImportCommands(program, async () => {
  const ctx = await openContext();
  return { stores: ctx.stores, cipher: ctx.cipher };
});

await program.parseAsync(process.argv);
