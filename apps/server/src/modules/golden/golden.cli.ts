import type { Command } from 'commander';
import type { AppContext } from '../../app-context.ts';
import { runCommand } from '../../cli/output.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { resolveSourceRecords } from './resolve.service.ts';

/** `lingxi identity resolve`: link the bank's source records to golden records (see resolve.service.ts). */
export function registerGoldenCommands(program: Command, openCtx: () => Promise<AppContext>): void {
  const group =
    program.commands.find((c) => c.name() === 'identity') ??
    program.command('identity').description('identity resolution (客户识别)');
  group
    .command('resolve')
    .description("resolve the bank's source records into golden records; uncertain pairs go to the review queue")
    .option('--threshold <p>', 'match probability to link', '0.9')
    .action(async (o: { threshold: string }, cmd: Command) =>
      runCommand(
        cmd,
        async () => {
          const threshold = Number(o.threshold);
          if (!(threshold > 0.5 && threshold < 1)) throw new Error('--threshold: must be a probability in (0.5, 1)');
          const ctx = await openCtx();
          try {
            const report = await resolveSourceRecords({ op: ctx.stores.op, cipher: ctx.cipher }, { threshold });
            await appendAudit(ctx, {
              actor: { id: 'cli', role: null },
              action: 'identity.resolve',
              target: null,
              details: { linked: report.linked, reviewQueued: report.reviewQueued, conflicts: report.conflicts },
            });
            return { ok: true, ...report };
          } finally {
            await ctx.stores.close();
          }
        },
        (r) =>
          `${r.records} source records → ${r.entities} entities; linked ${r.linked}, unlinked ${r.unlinked}, ` +
          `review queue +${r.reviewQueued}, conflicts ${r.conflicts} (${r.seconds.toFixed(1)} s)` +
          (r.truth
            ? `\nagainst the synthetic truth: precision ${r.truth.precision.toFixed(4)}, recall ${r.truth.recall.toFixed(4)}`
            : ''),
      ),
    );
}
