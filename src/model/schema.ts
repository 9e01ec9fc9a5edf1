// The signIn schema as a tree of typed fields, resolved from the generated schema data.
// Everything that walks a sign-in (normalization, store layouts, query planning, v1.0 projection)
// walks this tree, so the property list lives in exactly one place.
import { SCHEMA_DATA } from './schema-data.js';

export type ScalarKind = 'string' | 'int32' | 'double' | 'boolean' | 'datetime';

export interface EnumSpec {
  readonly name: string;
  readonly members: readonly string[];
  /** Numeric value per member (same order), null where the schema does not publish one. */
  readonly values: readonly (number | null)[];
  /** Flags enums hold a comma-separated set of members ("application,users"). */
  readonly flags: boolean;
}

export type FieldType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind }
  | { readonly kind: 'enum'; readonly enum: EnumSpec }
  | { readonly kind: 'complex'; readonly typeName: string; readonly fields: readonly Field[] }
  /** A type with no known properties (an abstract type): kept as the JSON it came in. */
  | { readonly kind: 'json'; readonly typeName: string };

export interface Field {
  readonly name: string;
  readonly type: FieldType;
  readonly collection: boolean;
}

type VersionData = {
  readonly signIn: Readonly<Record<string, { readonly type: string; readonly collection?: boolean }>>;
  readonly complexTypes: Readonly<Record<string, Readonly<Record<string, { readonly type: string; readonly collection?: boolean }>>>>;
  readonly enums: Readonly<Record<string, { readonly members: readonly string[]; readonly values: readonly (number | null)[]; readonly flags?: boolean }>>;
};

const SCALARS: Record<string, ScalarKind> = {
  'Edm.String': 'string',
  'Edm.Int32': 'int32',
  'Edm.Double': 'double',
  'Edm.Boolean': 'boolean',
  'Edm.DateTimeOffset': 'datetime',
};

function resolveType(data: VersionData, typeName: string, enums: Map<string, EnumSpec>): FieldType {
  const scalar = SCALARS[typeName];
  if (scalar) return { kind: 'scalar', scalar };
  const e = data.enums[typeName];
  if (e) {
    let spec = enums.get(typeName);
    if (!spec) {
      spec = { name: typeName, members: e.members, values: e.values, flags: e.flags === true };
      enums.set(typeName, spec);
    }
    return { kind: 'enum', enum: spec };
  }
  const c = data.complexTypes[typeName];
  if (c) {
    const names = Object.keys(c);
    if (names.length === 0) return { kind: 'json', typeName };
    return { kind: 'complex', typeName, fields: resolveFields(data, c, enums) };
  }
  throw new Error(`schema: unknown type ${typeName}`);
}

function resolveFields(
  data: VersionData,
  props: Readonly<Record<string, { readonly type: string; readonly collection?: boolean }>>,
  enums: Map<string, EnumSpec>,
): Field[] {
  return Object.entries(props).map(([name, p]) => ({
    name,
    type: resolveType(data, p.type, enums),
    collection: p.collection === true,
  }));
}

/** Graph's own order for the first properties of a sign-in; the rest follow alphabetically. */
const LEADING = ['id', 'createdDateTime'];

function orderFields(fields: Field[]): Field[] {
  const lead = LEADING.map((n) => fields.find((f) => f.name === n)).filter((f): f is Field => f !== undefined);
  return [...lead, ...fields.filter((f) => !LEADING.includes(f.name))];
}

const betaEnums = new Map<string, EnumSpec>();
const BETA_FIELDS = orderFields(resolveFields(SCHEMA_DATA.beta, SCHEMA_DATA.beta.signIn, betaEnums));
const v1Enums = new Map<string, EnumSpec>();
const V1_ONLY = resolveFields(SCHEMA_DATA.v1, SCHEMA_DATA.v1.signIn, v1Enums);

/**
 * The canonical sign-in: every beta property, plus the properties only v1.0 has
 * (`riskEventTypes`), so that a record in either shape is held in typed fields.
 */
export const SIGN_IN_FIELDS: readonly Field[] = [...BETA_FIELDS, ...V1_ONLY.filter((f) => !BETA_FIELDS.some((b) => b.name === f.name))];

/** The beta property names (the beta response shape). */
export const BETA_PROPERTY_NAMES: ReadonlySet<string> = new Set(BETA_FIELDS.map((f) => f.name));

/** The v1.0 property set, with nested types cut to their v1.0 members. */
export const V1_FIELDS: readonly Field[] = orderFields(V1_ONLY);

const byName = new Map(SIGN_IN_FIELDS.map((f) => [f.name, f]));

export function signInField(name: string): Field | undefined {
  return byName.get(name);
}

/** All enums the canonical sign-in uses, by name. */
export const ENUMS: ReadonlyMap<string, EnumSpec> = new Map([...v1Enums, ...betaEnums]);

/** The $filter operators Graph documents per property path (facts from the API reference). */
export const GRAPH_FILTER_SUPPORT = { beta: SCHEMA_DATA.beta.graphFilter, v1: SCHEMA_DATA.v1.graphFilter } as const;

/** Finds the field at a path of property names (`['status', 'errorCode']`). */
export function fieldAtPath(path: readonly string[], fields: readonly Field[] = SIGN_IN_FIELDS): Field | undefined {
  let current: readonly Field[] = fields;
  let found: Field | undefined;
  for (const name of path) {
    found = current.find((f) => f.name === name);
    if (!found) return undefined;
    current = found.type.kind === 'complex' ? found.type.fields : [];
  }
  return found;
}
