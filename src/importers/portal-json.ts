// The Entra admin center's JSON download of the sign-in logs. Its shape is not documented in the
// reference material (docs/formats.md); the file is read as Graph signIn JSON (an array of
// records with Graph's property names). The download is one file per tab, and the file name says
// which (`InteractiveSignIns_…`, `NonInteractiveSignIns_…`, `ApplicationSignIns_…`,
// `MSISignIns_…`): a record without `signInEventTypes` gets the tab's event type.
import { interactiveOf } from './azure-monitor.js';
import { isPlainObject } from './cells.js';
import type { RawItem } from './graph-json.js';
import { mapJsonRecords } from './json-input.js';

const FILE_KINDS: readonly [RegExp, string][] = [
  [/noninteractivesignins/i, 'nonInteractiveUser'],
  [/interactivesignins/i, 'interactiveUser'],
  [/applicationsignins|serviceprincipalsignins/i, 'servicePrincipal'],
  [/msisignins|managedidentitysignins/i, 'managedIdentity'],
];

/** The event type an admin-center download's file name says (`NonInteractiveSignIns_2025-…csv`). */
export function portalEventTypeFromName(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop() ?? name;
  return FILE_KINDS.find(([re]) => re.test(base))?.[1];
}

/** Does the file name look like an admin-center download? */
export function isPortalFileName(name: string): boolean {
  return portalEventTypeFromName(name) !== undefined;
}

export function readPortalJson(chunks: AsyncIterable<Buffer>, input: { name: string }): AsyncGenerator<RawItem[]> {
  const type = portalEventTypeFromName(input.name);
  return mapJsonRecords(chunks, input.name, (item) => {
    const v = item.value;
    if (type === undefined || !isPlainObject(v) || (Array.isArray(v['signInEventTypes']) && v['signInEventTypes'].length > 0)) return item;
    const value: Record<string, unknown> = { ...v, signInEventTypes: [type] };
    const interactive = interactiveOf(type);
    if (interactive !== undefined && (value['isInteractive'] === undefined || value['isInteractive'] === null)) value['isInteractive'] = interactive;
    // The record is no longer the text it came as: keep the text as the raw event.
    return { ...item, value, source: item.text };
  });
}
