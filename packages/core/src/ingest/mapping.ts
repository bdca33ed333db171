/**
 * Column mapping files: how a bank's own export maps onto a declared source schema. A mapping names, per field of the
 * schema, the file's column and options (date format, money unit, enum value map, constant default), plus file-level
 * settings (text encoding, CSV delimiter, default time zone). YAML or JSON on disk; validated here with zod.
 *
 *   source: core_banking_customers
 *   schemaVersion: 1
 *   encoding: gb18030
 *   fields:
 *     cif: 客户号                       # shorthand: just the column
 *     gender: { column: 性别, values: { 男: M, 女: F } }
 *     birth_date: { column: 出生日期, dateFormat: YYYYMMDD }
 *     occupation: { default: unknown }
 *
 * Fields the mapping does not mention are looked up by their own name (and aliases), case-insensitively.
 *
 * Pure: parsing the YAML/JSON text happens in the server; this validates the parsed value and compiles the validator.
 */
import { z } from 'zod';
import {
  buildRowSchema,
  type FieldOptions,
  type FieldSpec,
  fieldOptionsSchema,
  getSourceSchema,
  OPTIONS_BY_TYPE,
  parseFieldValue,
  type RawValue,
  type RowIssue,
  rowIssues,
  SOURCE_NAMES,
  type SourceName,
  type SourceRows,
  type SourceSchema,
  SourceSchemaError,
  timezoneSchema,
} from './source-schemas.ts';

export const ENCODINGS = ['utf-8', 'gb18030', 'gbk'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const mappingFileSchema = z
  .object({
    source: z.enum(SOURCE_NAMES),
    schemaVersion: z.number().int().positive().optional(),
    /** Text encoding of CSV / JSON Lines files (default utf-8; many core systems export GB18030). */
    encoding: z.enum(ENCODINGS).optional(),
    /** CSV delimiter (default `,`). */
    delimiter: z.string().length(1).optional(),
    /** Default time zone of timestamps without an offset (default Asia/Shanghai). */
    timezone: timezoneSchema.optional(),
    fields: z.record(z.string().min(1), z.union([z.string().min(1), fieldOptionsSchema])).default({}),
  })
  .strict();
export type MappingFile = z.infer<typeof mappingFileSchema>;

/** Parses an already-decoded mapping document; errors name the path and the reason. */
export function parseMapping(doc: unknown): MappingFile {
  const r = mappingFileSchema.safeParse(doc);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const path = first && first.path.length > 0 ? first.path.join('.') : 'mapping';
  throw new SourceSchemaError(`mapping.${path}`, first?.message ?? 'invalid');
}

export interface ResolvedField {
  field: string;
  spec: FieldSpec;
  /** The file's column, or null when the field takes its default / stays empty. */
  column: string | null;
  options: FieldOptions;
}

export interface CompiledSource<S extends SourceName = SourceName> {
  schema: SourceSchema<SourceRows[S]>;
  fields: readonly ResolvedField[];
  /** File columns no field reads (they are not loaded). */
  ignoredColumns: readonly string[];
  /** Validates one record keyed by the file's column names. */
  validate(
    record: Readonly<Record<string, RawValue>>,
  ): { ok: true; row: SourceRows[S] } | { ok: false; issues: RowIssue[] };
}

/**
 * Binds a source schema to a file's columns under an optional mapping: every mapped column must exist, every
 * required field must have a column (or a default, or be derivable), and options must fit the field's type.
 * Throws `SourceSchemaError` naming the field and the reason.
 */
export function compileSource<S extends SourceName>(
  source: S,
  columns: readonly string[],
  mapping?: MappingFile,
  schemaVersion?: number,
): CompiledSource<S> {
  if (mapping && mapping.source !== source)
    throw new SourceSchemaError('mapping.source', `is ${mapping.source}, but the import is for ${source}`);
  const schema = getSourceSchema(source, schemaVersion ?? mapping?.schemaVersion);
  const byLower = new Map<string, string>();
  for (const c of columns) {
    const k = c.trim().toLowerCase();
    if (!byLower.has(k)) byLower.set(k, c);
  }
  const specs = schema.fields as Readonly<Record<string, FieldSpec>>;
  for (const name of Object.keys(mapping?.fields ?? {})) {
    if (!(name in specs))
      throw new SourceSchemaError(
        `mapping.fields.${name}`,
        `${source} v${schema.version} has no field '${name}' (fields: ${Object.keys(specs).join(', ')})`,
      );
  }
  const resolved: ResolvedField[] = [];
  for (const [field, spec] of Object.entries(specs)) {
    const entry = mapping?.fields[field];
    const given: FieldOptions = typeof entry === 'string' ? { column: entry } : (entry ?? {});
    for (const key of Object.keys(given) as (keyof FieldOptions)[]) {
      if (!OPTIONS_BY_TYPE[spec.type].includes(key))
        throw new SourceSchemaError(`mapping.fields.${field}.${key}`, `does not apply to a ${spec.type} field`);
    }
    if (given.default !== undefined) {
      const check = parseFieldValue(spec, { ...given, default: undefined }, String(given.default));
      if (!check.ok) throw new SourceSchemaError(`mapping.fields.${field}.default`, check.reason);
    }
    const options: FieldOptions = { ...given };
    if (mapping?.timezone && options.timezone === undefined && (spec.type === 'timestamp' || spec.type === 'date'))
      options.timezone = mapping.timezone;
    let column: string | null = null;
    if (given.column !== undefined) {
      column = byLower.get(given.column.trim().toLowerCase()) ?? null;
      if (column === null)
        throw new SourceSchemaError(
          `mapping.fields.${field}.column`,
          `column '${given.column}' is not in the file (columns: ${columns.join(', ')})`,
        );
    } else {
      column = byLower.get(field) ?? null;
      if (column === null) {
        for (const alias of spec.aliases ?? []) {
          const c = byLower.get(alias.column);
          if (c !== undefined) {
            column = c;
            Object.assign(options, alias.options ?? {}, given);
            break;
          }
        }
      }
    }
    if (
      column === null &&
      spec.required &&
      spec.derivableFrom === undefined &&
      spec.default === undefined &&
      given.default === undefined
    ) {
      const looked = [field, ...(spec.aliases ?? []).map((a) => a.column)].map((c) => `'${c}'`).join(' or ');
      throw new SourceSchemaError(
        field,
        `required field has no column (looked for ${looked}); name the column in a mapping file`,
      );
    }
    resolved.push({ field, spec, column, options });
  }
  const used = new Set(resolved.map((r) => r.column).filter((c): c is string => c !== null));
  const ignoredColumns = columns.filter((c) => !used.has(c));
  const rowSchema = buildRowSchema(schema, Object.fromEntries(resolved.map((r) => [r.field, r.options])));
  const bound = resolved.map((r) => [r.field, r.column] as const);
  return {
    schema,
    fields: resolved,
    ignoredColumns,
    validate(record) {
      const input: Record<string, RawValue> = {};
      for (const [field, column] of bound) input[field] = column === null ? undefined : record[column];
      const r = rowSchema.safeParse(input);
      return r.success ? { ok: true, row: r.data } : { ok: false, issues: rowIssues(r.error) };
    },
  };
}
