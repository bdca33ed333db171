import type { Command } from 'commander';
import type { AppContext } from '../../app-context.ts';
import { runCommand } from '../../cli/output.ts';
import { verifyAuditChain } from './audit.service.ts';

/** `lingxi audit verify [--json]`: recomputes the hash chain; exits 1 naming the first broken link. */
export function registerAuditCommands(program: Command, openCtx: () => Promise<AppContext>): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit trail');
  audit
    .command('verify')
    .description('recompute the audit hash chain; exit 1 with the first broken link')
    .action(async (_opts: unknown, cmd: Command) =>
      runCommand(
        cmd,
        async () => {
          const ctx = await openCtx();
          try {
            return { ...(await verifyAuditChain(ctx.stores.op)) };
          } finally {
            await ctx.stores.close();
          }
        },
        (r) =>
          r.ok
            ? `audit trail intact: ${r.checked} entries checked; head seq ${r.head.seq}, hash ${r.head.hash}`
            : `audit trail BROKEN at seq ${r.firstBroken?.seq}: ${r.firstBroken?.reason} — ${r.firstBroken?.detail} ` +
              `(${r.checked} entries checked before it)`,
      ),
    );
}
