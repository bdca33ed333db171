/** HTTP contracts of the tag factory (`/api/v1/tags`, `/api/v1/customers/:id/tags`). */
import { z } from 'zod';

export const i18nText = z.object({ zh: z.string(), en: z.string() });

/** A tag definition as served (the DSL object; validated in core, opaque here beyond its header). */
export const tagDefinitionView = z
  .object({
    id: z.string(),
    name: i18nText,
    family: z.string(),
    sub_family: z.string(),
    value_type: z.enum(['boolean', 'enum', 'number', 'date', 'set']),
    values: z.array(z.string()).optional(),
    unit: z.string().optional(),
    description: i18nText,
    data_class: z.enum(['C1', 'C2']),
    purposes: z.array(z.string()),
    version: z.number().int(),
    refresh: z.string(),
    compute: z.record(z.string(), z.unknown()),
  })
  .passthrough();

export const tagSummary = z.object({
  definition: tagDefinitionView,
  /** A bank-specific tag (`bank.*`) defined by the bank's analysts. */
  custom: z.boolean(),
  version: z.number().int(),
  dataClass: z.enum(['C1', 'C2']),
  behavioural: z.boolean(),
  coverage: z.number().nullable(),
  nonNull: z.number().int().nullable(),
  total: z.number().int().nullable(),
  asOf: z.string().nullable(),
  refreshedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  distribution: z.unknown(),
});
export type TagSummaryDto = z.infer<typeof tagSummary>;

export const tagListResponse = z.object({
  asOf: z.string().nullable(),
  count: z.number().int(),
  tags: z.array(tagSummary),
  /** Bank-specific definitions left out of the catalogue because they no longer compile. */
  broken: z.array(z.object({ tagId: z.string(), field: z.string(), reason: z.string() })),
});

/** `POST /api/v1/tags/definitions`: bank-specific tag definitions as JSON or YAML text (one, a list or `{tags}`). */
export const defineTagsRequest = z
  .object({
    text: z.string().min(1, 'must not be empty').max(1_000_000, 'at most 1,000,000 characters'),
    format: z.enum(['json', 'yaml']).optional(),
    /** Validate and compile against the catalogue in force without saving. */
    dryRun: z.boolean().default(false),
  })
  .strict();
export const defineTagsResponse = z.object({
  dryRun: z.boolean(),
  tags: z.array(
    z.object({
      id: z.string(),
      /** New id (false: replaces the definition in force, which gets a new version at the next refresh). */
      created: z.boolean(),
      sourceColumns: z.array(z.string()),
      dependencies: z.array(z.string()),
    }),
  ),
});
/** What a client reads from the 204 of a retire: no body. */
export const retireTagResponse = z.undefined();
export const retireTagRequest = z
  .object({ reason: z.string().trim().min(1, 'must not be empty').max(500).optional() })
  .strict();

export const tagDetailResponse = tagSummary.extend({
  dependencies: z.array(z.string()),
  sourceColumns: z.array(z.string()),
  versions: z.array(
    z.object({
      version: z.number().int(),
      hash: z.string(),
      definition: z.unknown(),
      created_at: z.string(),
      /** Tags this version follows (its own definition unchanged, a tag it is computed from changed); else null. */
      follows: z.array(z.string()).nullable(),
    }),
  ),
});

export const tagIdParams = z.object({ id: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'not a tag id') });

export const isoDateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a valid date');

export const customerTagsParams = z.object({ id: z.coerce.number().int().positive() });
export const customerTagsQuery = z.object({ asOf: isoDateString.optional() });
export const customerTagsResponse = z.object({
  customerId: z.number().int(),
  asOf: z.string().nullable(),
  tags: z.array(
    z.object({
      tagId: z.string(),
      version: z.number().int(),
      value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]),
    }),
  ),
});

export const refreshRequest = z.object({ asOf: isoDateString.optional() }).strict();
export const refreshResponse = z.object({
  ok: z.literal(true),
  asOf: z.string(),
  runId: z.string(),
  tags: z.number().int(),
  rows: z.number().int(),
  customers: z.number().int(),
  durationMs: z.number(),
  sources: z.array(z.object({ source: z.string(), query: z.string(), tags: z.number().int(), ms: z.number() })),
  combineMs: z.number(),
  statsMs: z.number(),
  indexMs: z.number(),
  newVersions: z.array(z.string()),
  droppedSnapshots: z.array(z.string()),
  /** Enum and set tags with customers whose value is outside the tag's vocabulary. */
  outsideVocabulary: z.array(z.object({ tagId: z.string(), customers: z.number().int() })),
});

/** `GET /api/v1/tags/refreshes?limit=`: the newest tag refreshes first, failed ones with their error. */
export const refreshRunsQuery = z
  .object({ limit: z.coerce.number().int().min(1, 'must be 1–200').max(200, 'must be 1–200').default(20) })
  .strict();
export const refreshRun = z.object({
  runId: z.string(),
  asOf: z.string(),
  /** schedule (the daily job), api (console or API), cli, system (models, demo). */
  trigger: z.enum(['schedule', 'api', 'cli', 'system']),
  actor: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'failed']),
  error: z.string().nullable(),
  tags: z.number().int().nullable(),
  customers: z.number().int().nullable(),
  newVersions: z.array(z.string()).nullable(),
  durationMs: z.number().int().nullable(),
});
export type RefreshRunDto = z.infer<typeof refreshRun>;
export const refreshRunsResponse = z.object({ runs: z.array(refreshRun) });
