// Where an incoming record goes among a writer's open batches (both backends batch the same way).
// A batch holds at most one record per sign-in, because a batch is classified and merged against
// the store as a whole; a sign-in's several records (an identity provider's events, one a step,
// or newer snapshots) therefore go to successive batches, and batches load in order, so a sign-in's
// records land in the order they came. Without this, every repeated sign-in would close the batch
// being built, and a stream of events would load one tiny batch per event.

/** Open batches a writer keeps at most; past this, the oldest one loads first. */
export const MAX_OPEN_BATCHES = 8;

/**
 * Records a batch after the first takes at most: each of its records is another version of a
 * sign-in loaded just before, so each costs a merge (its line item and raw events read back), and
 * a full-size batch of merges would not fit the store's memory limit.
 */
export const MERGE_BATCH_RECORDS = 1000;

/** How many records the open batch at `index` takes before it loads. */
export function batchLimit(index: number, batchRecords: number): number {
  return index === 0 ? batchRecords : Math.min(batchRecords, MERGE_BATCH_RECORDS);
}

/** What a batch knows of the sign-ins it holds. */
export interface HoldsSignIns {
  readonly ids: ReadonlyMap<string, { tenant: string; eventKey: bigint }>;
}

/**
 * The index of the open batch the record goes to (it may be `open.length`: a new batch after the
 * others), or 'unchanged' when a batch already holds this very event of the sign-in.
 */
export function placeRecord(open: readonly HoldsSignIns[], item: { id: string; tenantId: string; eventKey: bigint }): number | 'unchanged' {
  let at = 0;
  for (let i = 0; i < open.length; i++) {
    const seen = open[i]?.ids.get(item.id);
    if (!seen) continue;
    if (seen.tenant === item.tenantId && seen.eventKey === item.eventKey) return 'unchanged';
    at = i + 1;
  }
  return at;
}

/** What a writer tells its open batches: how to start one, when one is full, how to load one. */
export interface BatchHooks<B> {
  create(): B;
  /** Whether the batch at `index` (0: the first open one) takes no more records. */
  full(batch: B, index: number): boolean;
  /** Closes the batch and queues its load; a promise when the caller should wait for room. */
  close(batch: B): Promise<void> | undefined;
}

/** A writer's open batches, in the order they will load. */
export class OpenBatches<B extends HoldsSignIns> {
  private readonly open: B[] = [];

  constructor(private readonly hooks: BatchHooks<B>) {}

  /**
   * Places the record and hands the batch to `put`; 'unchanged' when a batch already holds this
   * very event; a promise when the caller should wait before adding more.
   */
  add(item: { id: string; tenantId: string; eventKey: bigint }, put: (batch: B) => void): 'unchanged' | Promise<void> | undefined {
    let at = placeRecord(this.open, item);
    if (at === 'unchanged') return 'unchanged';
    const waits: Promise<void>[] = [];
    const closeFirst = (n: number): void => {
      const w = this.closeFirst(n);
      if (w) waits.push(w);
    };
    for (; at >= MAX_OPEN_BATCHES; at--) closeFirst(1);
    while (this.open.length <= at) this.open.push(this.hooks.create());
    const batch = this.open[at] as B;
    put(batch);
    // A full batch loads now, with every batch before it, in order.
    if (this.hooks.full(batch, at)) closeFirst(at + 1);
    if (waits.length === 0) return undefined;
    return waits.length === 1 ? waits[0] : Promise.all(waits).then(() => undefined);
  }

  /** Closes every open batch, in order. */
  closeAll(): Promise<void> | undefined {
    return this.closeFirst(this.open.length);
  }

  private closeFirst(n: number): Promise<void> | undefined {
    let wait: Promise<void> | undefined;
    for (const b of this.open.splice(0, n)) wait = this.hooks.close(b) ?? wait;
    return wait;
  }
}
