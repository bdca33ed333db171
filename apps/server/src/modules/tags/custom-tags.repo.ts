/** SQL of bank-specific tag definitions (operational store, `$n` parameters). */
import type { OperationalQueryable } from '../../db/operational.ts';

export interface CustomTagRow {
  id: string;
  definition: unknown;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
}

/** The definitions in force (not retired), by id. */
export async function activeCustomDefinitions(db: OperationalQueryable): Promise<CustomTagRow[]> {
  const { rows } = await db.query<CustomTagRow>(
    `SELECT id, definition, created_by, created_at, updated_by, updated_at
       FROM custom_tag_definitions WHERE retired_at IS NULL ORDER BY id`,
  );
  return rows;
}

/** Adds a definition or replaces one (a retired id comes back in force). Returns whether the id is new. */
export async function upsertCustomDefinition(
  db: OperationalQueryable,
  d: { id: string; definition: unknown; actor: string },
): Promise<boolean> {
  const { rows } = await db.query<{ created: boolean }>(
    `INSERT INTO custom_tag_definitions (id, definition, created_by, updated_by) VALUES ($1, $2, $3, $3)
     ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition, updated_by = EXCLUDED.updated_by,
       updated_at = now(), retired_by = NULL, retired_at = NULL
     RETURNING (xmax = 0) AS created`,
    [d.id, JSON.stringify(d.definition), d.actor],
  );
  return rows[0]?.created === true;
}

/** Retires a definition in force; false when there is none. */
export async function retireCustomDefinition(db: OperationalQueryable, id: string, actor: string): Promise<boolean> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE custom_tag_definitions SET retired_by = $2, retired_at = now() WHERE id = $1 AND retired_at IS NULL
     RETURNING id`,
    [id, actor],
  );
  return rows.length > 0;
}

/** Saved audiences whose expression uses the tag (anywhere in the and / or / not tree). */
export async function audiencesUsingTag(
  db: OperationalQueryable,
  tagId: string,
): Promise<{ id: string; name: string }[]> {
  const { rows } = await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM audiences
      WHERE jsonb_path_exists(expression, '$.** ? (@.tag == $t)', jsonb_build_object('t', $1::text))
      ORDER BY id`,
    [tagId],
  );
  return rows;
}
