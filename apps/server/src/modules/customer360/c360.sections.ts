import type { AppContext } from '../../app-context.ts';
import { customerScores } from '../models/bank-models.service.ts';
import { customerTags } from '../tags/tags.service.ts';
import type { C360Section } from './c360.service.ts';

/** Latest tag values of the customer (and of customers merged into it). */
export const tagsSection =
  (ctx: AppContext): C360Section =>
  async (_id, ids) =>
    customerTags(ctx, ids);

/** Latest score per active model with its band and reasons in zh/en words (written by the models module). */
export const scoresSection =
  (ctx: AppContext): C360Section =>
  async (id) =>
    customerScores(ctx, [id]);
