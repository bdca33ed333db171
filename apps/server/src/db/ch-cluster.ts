/**
 * Generates the ClickHouse-cluster variant of a single-node migration: every `CREATE TABLE IF NOT EXISTS t (...)
 * ENGINE = XMergeTree[(args)] ...` becomes a `t_local` table `ON CLUSTER` with the `ReplicatedXMergeTree` engine and a
 * `Distributed` table `t` over it; `ALTER TABLE t ...` is applied `ON CLUSTER` to both; other statements get
 * `ON CLUSTER` where ClickHouse accepts it. One migration file, two deployments (ADR 0001).
 */
const createRe =
  /^CREATE TABLE IF NOT EXISTS\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([\s\S]*)\)\s*ENGINE\s*=\s*(\w*MergeTree)(\(([^)]*)\))?([\s\S]*)$/;
const alterRe = /^ALTER TABLE\s+([A-Za-z_][A-Za-z0-9_]*)\s+([\s\S]*)$/;
const dropRe = /^DROP TABLE IF EXISTS\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/;

export function toClusterStatements(statement: string, cluster: string): string[] {
  const sql = statement.trim();
  const on = `ON CLUSTER ${cluster}`;
  const create = createRe.exec(sql);
  if (create) {
    const [, table, body, engine, , args, rest] = create;
    const local = `${table}_local`;
    const zkPath = `'/clickhouse/tables/{shard}/{database}/${local}'`;
    const engineArgs = [zkPath, "'{replica}'", ...(args?.trim() ? [args.trim()] : [])].join(', ');
    const shardKey = /\bcustomer_id\b/.test(body ?? '') ? 'cityHash64(customer_id)' : 'rand()';
    return [
      `CREATE TABLE IF NOT EXISTS ${local} ${on} (${body}) ENGINE = Replicated${engine}(${engineArgs})${rest}`,
      `CREATE TABLE IF NOT EXISTS ${table} ${on} AS ${local} ENGINE = Distributed(${cluster}, currentDatabase(), ${local}, ${shardKey})`,
    ];
  }
  const alter = alterRe.exec(sql);
  if (alter) {
    const [, table, rest] = alter;
    return [`ALTER TABLE ${table}_local ${on} ${rest}`, `ALTER TABLE ${table} ${on} ${rest}`];
  }
  const drop = dropRe.exec(sql);
  if (drop) {
    const [, table] = drop;
    return [`DROP TABLE IF EXISTS ${table} ${on}`, `DROP TABLE IF EXISTS ${table}_local ${on}`];
  }
  return [sql];
}

/** Splits a migration file into statements (`;` at the end of a line, outside `$$` bodies), dropping `--` comment lines. */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let inDollar = false; // inside a PostgreSQL $$ … $$ body (a function), where `;` does not end the statement
  for (const line of script.split('\n')) {
    if (!inDollar && line.trimStart().startsWith('--')) continue;
    current.push(line);
    if ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) inDollar = !inDollar;
    if (!inDollar && /;\s*$/.test(line)) {
      out.push(current.join('\n').replace(/;\s*$/, ''));
      current = [];
    }
  }
  out.push(current.join('\n'));
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}
