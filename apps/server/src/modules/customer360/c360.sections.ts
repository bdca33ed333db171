import type { AppContext } from '../../app-context.ts';
import { customerTags } from '../tags/tags.service.ts';
import type { C360Section } from './c360.service.ts';

/** Latest tag values of the customer (and of customers merged into it). */
export const tagsSection =
  (ctx: AppContext): C360Section =>
  async (_id, ids) =>
    customerTags(ctx, ids);

/** Latest score per model with its band and reasons (`model_scores`, written by the models module). */
export const scoresSection =
  (ctx: AppContext): C360Section =>
  async (id) => {
    const rows = await ctx.stores.an.query<{
      model_id: string;
      as_of: string;
      score: number;
      band: string;
      reasons: string;
      version: number;
    }>(
      `SELECT model_id, toString(max(s.as_of)) AS as_of, argMax(s.score, s.as_of) AS score, argMax(s.band, s.as_of) AS band,
              argMax(s.reasons, s.as_of) AS reasons, argMax(s.version, s.as_of) AS version
         FROM model_scores AS s WHERE s.customer_id = {id:UInt32} GROUP BY model_id ORDER BY model_id`,
      { id },
    );
    return rows.map((r) => {
      let reasons: unknown = r.reasons;
      try {
        reasons = JSON.parse(r.reasons);
      } catch {
        // reasons stored as plain text
      }
      return {
        modelId: r.model_id,
        asOf: r.as_of,
        score: Number(r.score),
        band: r.band,
        reasons,
        version: Number(r.version),
      };
    });
  };
