// DuckDB column types for the canonical sign-in: one typed column per property, STRUCTs for
// nested values and LISTs for collections.
import { SIGN_IN_FIELDS, type Field, type FieldType } from '../../model/schema.js';

const SCALAR_SQL = {
  string: 'VARCHAR',
  int32: 'INTEGER',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  datetime: 'TIMESTAMP_NS',
} as const;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function typeSql(t: FieldType): string {
  switch (t.kind) {
    case 'scalar':
      return SCALAR_SQL[t.scalar];
    case 'enum':
      return 'VARCHAR';
    case 'json':
      return 'VARCHAR';
    case 'complex':
      return `STRUCT(${t.fields.map((f) => `${quoteIdent(f.name)} ${fieldTypeSql(f)}`).join(', ')})`;
  }
}

export function fieldTypeSql(f: Field): string {
  const base = typeSql(f.type);
  return f.collection ? `${base}[]` : base;
}

/** Column definitions of `sign_ins` (and of the staging table used to load it). */
export function signInColumnsSql(): string[] {
  return [
    'log_tenant_id VARCHAR NOT NULL',
    ...SIGN_IN_FIELDS.map((f) => `${quoteIdent(f.name)} ${fieldTypeSql(f)}${f.name === 'id' || f.name === 'createdDateTime' ? ' NOT NULL' : ''}`),
    'extra VARCHAR',
    'event_key UBIGINT NOT NULL',
    'ingested_at TIMESTAMP NOT NULL',
    'key_hash UBIGINT',
    'group_hash UBIGINT',
  ];
}
