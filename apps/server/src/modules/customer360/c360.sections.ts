import type { AppContext } from '../../app-context.ts';
import { tagOptouts } from '../h5/h5.repo.ts';
import { customerScores } from '../models/bank-models.service.ts';
import { customerTags } from '../tags/tags.service.ts';
import type { C360Section } from './c360.service.ts';

/** Latest tag values of the customer (and of customers merged into it), without tags the customer deleted (P4). */
export const tagsSection =
  (ctx: AppContext): C360Section =>
  async (id, ids) => {
    const [result, optedOut] = await Promise.all([customerTags(ctx, ids), tagOptouts(ctx.stores.op, id)]);
    return { ...result, tags: result.tags.filter((t) => !optedOut.has(t.tagId)) };
  };

/** Latest score per active model with its band and reasons in zh/en words (written by the models module). */
export const scoresSection =
  (ctx: AppContext): C360Section =>
  async (id) =>
    customerScores(ctx, [id]);
