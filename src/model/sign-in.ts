// The canonical sign-in record and what travels with it.
import type { SignIn as GraphBetaSignIn } from '@microsoft/microsoft-graph-types-beta';

/**
 * A sign-in in Microsoft Graph's beta `signIn` shape with canonical values: enum members as the
 * schema spells them, times as Graph renders them (UTC, `Z`, up to 7 fractional digits), and
 * nulls omitted. `riskEventTypes` is the one v1.0-only property.
 */
export type SignInRecord = Omit<GraphBetaSignIn, 'id' | 'createdDateTime'> & {
  id: string;
  createdDateTime: string;
  riskEventTypes?: string[] | null;
};

/**
 * What a record carried beyond its typed fields, keyed by JSON Pointer (RFC 6901) into the record:
 * - `u`: properties the schema does not know (at any depth), with their values;
 * - `o`: original values where the typed field holds something else — an enum value outside the
 *   schema (typed as `unknownFutureValue`), a time written another way, a number sent as a string.
 * Applying both to the typed record gives back the record as it was received.
 */
export interface Extra {
  u?: Record<string, unknown>;
  o?: Record<string, unknown>;
  /**
   * Pointers of values Gatelog added that the source did not send (location and autonomous
   * system number looked up offline from the IP address). "As received" views leave them out.
   */
  e?: string[];
}

/** A line item as the store holds it. */
export interface StoredSignIn {
  /** The tenant whose log this sign-in belongs to. */
  tenantId: string;
  record: SignInRecord;
  extra: Extra | null;
  /**
   * The sign-in as Graph's beta API renders it (model/render.ts toGraph(record, extra, 'beta')), as
   * JSON text, when the store wrote it itself (asked for with SignInQuery.graphBeta).
   */
  graphBeta?: string;
}
