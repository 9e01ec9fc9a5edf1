// The input of a report as people give it (API query parameters, CLI flags), checked: times as
// ISO 8601 or a span back from now (`7d`, `24h`), a Graph $filter (beta), report options.
import { GatelogError } from '../errors.js';
import { canonicalDateTime, formatDateTime, nsFromDate, parseDateTime } from '../model/time.js';
import { planFilter } from '../query/plan.js';
import type { ReportInput } from './report.js';

export interface ReportParameters {
  since?: string | undefined;
  until?: string | undefined;
  filter?: string | undefined;
  policy?: string | undefined;
}

/** A time parameter: ISO 8601 (a date or a date-time), or `Nd` / `Nh` / `Nm` before `now`. */
export function parseReportTime(name: string, text: string, now = new Date()): string {
  const span = /^\s*(\d{1,6})\s*([mhd])\s*$/i.exec(text);
  if (span) {
    const unit = span[2]!.toLowerCase();
    const minutes = Number(span[1]) * (unit === 'd' ? 1440 : unit === 'h' ? 60 : 1);
    return formatDateTime(nsFromDate(now) - BigInt(minutes) * 60_000_000_000n);
  }
  const t = canonicalDateTime(text);
  if (t === null) throw new GatelogError('Request_BadRequest', `Invalid value '${text.slice(0, 100)}' for ${name}: use an ISO 8601 time (2026-11-01 or 2026-11-01T08:00:00Z) or a span back from now (7d, 24h, 30m).`);
  return t;
}

/** Checks the parameters; a bad filter throws the planner's 400 with its position. */
export function parseReportInput(p: ReportParameters, now = new Date()): ReportInput {
  const input: ReportInput = {};
  if (p.since !== undefined && p.since.trim() !== '') input.since = parseReportTime('since', p.since, now);
  if (p.until !== undefined && p.until.trim() !== '') input.until = parseReportTime('until', p.until, now);
  if (input.since && input.until && parseDateTime(input.since)! >= parseDateTime(input.until)!) {
    throw new GatelogError('Request_BadRequest', `since (${input.since}) must be before until (${input.until}).`);
  }
  if (p.filter !== undefined && p.filter.trim() !== '') input.filter = planFilter(p.filter, 'beta').condition;
  if (p.policy !== undefined && p.policy.trim() !== '') input.options = { policy: p.policy.trim() };
  return input;
}
