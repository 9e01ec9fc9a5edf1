// Panther's Azure sign-in rules ship test cases as `{Name, ExpectedResult, Log}`; the `Log` is an
// Azure Monitor record as Panther stores it: envelope keys lower-cased (`calleripaddress`,
// `resulttype`), Panther's own `p_*` fields beside them, times as `YYYY-MM-DD hh:mm:ss.fff`. A
// Panther data-lake row is the same record without the test wrapper. What is recoverable is the
// Azure Monitor record inside; a test case whose log is not a complete sign-in (most of them have
// no request ID) is rejected with its name and the reason.
import { azureMonitorItem } from './azure-monitor.js';
import { isPlainObject } from './cells.js';
import type { RawItem } from './graph-json.js';
import { mapJsonRecords, problemOf } from './json-input.js';

/** A Panther test case (`{Name, ExpectedResult, Log}`) or a Panther row (`p_log_type`, ...). */
export function isPantherRecord(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  if (isPlainObject(v['Log']) && ('Name' in v || 'ExpectedResult' in v)) return true;
  return 'properties' in v && Object.keys(v).some((k) => k.startsWith('p_'));
}

export function readPanther(chunks: AsyncIterable<Buffer>, input: { name: string }): AsyncGenerator<RawItem[]> {
  return mapJsonRecords(chunks, input.name, (item) => {
    const v = item.value;
    if (!isPlainObject(v)) return problemOf(item, 'not a Panther test case or log (not a JSON object)');
    const wrapped = isPlainObject(v['Log']);
    const log = wrapped ? v['Log'] : v;
    const prefix = wrapped && typeof v['Name'] === 'string' ? `Panther test case ${JSON.stringify(v['Name'])}: ` : 'Panther log: ';
    return azureMonitorItem(log, item, item.text, prefix);
  });
}
