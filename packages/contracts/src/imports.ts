/** HTTP contracts of the import module: recent import runs and the quarantined rows of a run. */
import { z } from 'zod';

export const importRunStatusSchema = z.enum(['running', 'completed', 'failed', 'refused', 'skipped']);

export const importRunSchema = z.object({
  id: z.string(),
  source: z.string(),
  schemaVersion: z.number().int(),
  fileName: z.string(),
  sha256: z.string(),
  format: z.string(),
  status: importRunStatusSchema,
  rowsTotal: z.number().int(),
  rowsLoaded: z.number().int(),
  rowsDuplicate: z.number().int(),
  rowsQuarantined: z.number().int(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportRun = z.infer<typeof importRunSchema>;

export const listImportsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  source: z.string().min(1).max(64).optional(),
});

export const listImportsResponseSchema = z.object({ runs: z.array(importRunSchema) });
export type ListImportsResponse = z.infer<typeof listImportsResponseSchema>;

export const importRunParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'not an import run id'),
});

export const quarantineQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** A quarantined row: where it was and why — never its content (kept encrypted). */
export const quarantineEntrySchema = z.object({
  id: z.string(),
  fileName: z.string(),
  line: z.number().int(),
  field: z.string().nullable(),
  reason: z.string(),
  createdAt: z.string(),
});
export type QuarantineEntry = z.infer<typeof quarantineEntrySchema>;

export const quarantineResponseSchema = z.object({
  run: importRunSchema,
  total: z.number().int(),
  items: z.array(quarantineEntrySchema),
});
export type QuarantineResponse = z.infer<typeof quarantineResponseSchema>;
