import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { checkedContent, PendingContent } from './airtime-entry-check';
import { AirtimeChainHead, AirtimeEntry, AirtimeLedger } from './airtime-ledger';
import { appendAfter, ChainHead, insertRecords, lockChains, readHeads } from './airtime-record-store';
import { chainRecords } from './transactional-append';

/** Records written by one transaction at most; a larger backlog is flushed in several. */
export const MAX_RECORDS_PER_FLUSH = 5000;
/** Flushes of disjoint sets of communes that may run at once (each holds one pooled connection). */
export const MAX_CONCURRENT_FLUSHES = 4;

interface Waiting {
  contents: PendingContent[];
  communes: string[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The ledger on PostgreSQL, with group commit: `append` queues its entries in this process; a flush takes the
 * queued callers of the same communes, chains and inserts all their records in one transaction holding those
 * communes' chain locks (see commit), and then resolves every caller it carried. While a flush runs, new entries gather for
 * the next one, so many concurrent writers cost a few transactions instead of one each. Flushes of different
 * communes run side by side (up to MAX_CONCURRENT_FLUSHES); one commune is in one flush at a time, its callers are
 * served in arrival order, and one caller's entries always go in the same flush and keep their order.
 */
@Injectable()
export class GroupCommitAirtimeLedger extends AirtimeLedger implements BeforeApplicationShutdown {
  private queue: Waiting[] = [];
  /** Communes whose flush is running in this process. */
  private readonly flushing = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Each commune's head as this process last committed it (another process may have appended since). */
  private readonly knownHeads = new Map<string, ChainHead>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  append(entries: AirtimeEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    let contents: PendingContent[];
    try {
      contents = entries.map(checkedContent);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ contents, communes: [...new Set(contents.map((content) => content.communeId))], resolve, reject });
      this.startFlushes();
    });
  }

  async heads(communeIds: string[]): Promise<AirtimeChainHead[]> {
    if (communeIds.length === 0) return [];
    return readHeads(this.dataSource.manager, [...new Set(communeIds)]);
  }

  /** Entries appended before shutdown are committed before the database connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private startFlushes(): void {
    while (this.inFlight.size < MAX_CONCURRENT_FLUSHES) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const communes = new Set(batch.flatMap((waiting) => waiting.communes));
      for (const communeId of communes) this.flushing.add(communeId);
      const flush: Promise<void> = this.commit(batch.flatMap((waiting) => waiting.contents))
        .then(
          () => batch.forEach((waiting) => waiting.resolve()),
          (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
        )
        .finally(() => {
          for (const communeId of communes) this.flushing.delete(communeId);
          this.inFlight.delete(flush);
          this.startFlushes();
        });
      this.inFlight.add(flush);
    }
  }

  /**
   * The next flush: the oldest caller whose communes are free, and every later caller within those same communes,
   * up to MAX_RECORDS_PER_FLUSH records. A caller left waiting holds back later callers of its communes, so each
   * commune's callers go in arrival order.
   */
  private takeBatch(): Waiting[] {
    const held = new Set(this.flushing);
    let scope: Set<string> | null = null;
    let records = 0;
    const taken: Waiting[] = [];
    const left: Waiting[] = [];
    for (const waiting of this.queue) {
      const free = waiting.communes.every((communeId) => !held.has(communeId));
      const fits: boolean =
        scope === null || (waiting.communes.every((communeId) => scope!.has(communeId)) && records + waiting.contents.length <= MAX_RECORDS_PER_FLUSH);
      if (free && fits) {
        scope ??= new Set(waiting.communes);
        records += waiting.contents.length;
        taken.push(waiting);
      } else {
        for (const communeId of waiting.communes) held.add(communeId);
        left.push(waiting);
      }
    }
    this.queue = left;
    return taken;
  }

  /**
   * One transaction per flush, holding the chain locks of its communes (other processes appending to them wait).
   * Usually a single statement (airtime_append): the records are chained onto the heads this process committed last,
   * and go in only if no one took the next positions since. Otherwise (another process appended, or this process
   * has not written to a commune yet), a transaction takes the locks, reads the heads from the table and inserts.
   */
  private async commit(contents: PendingContent[]): Promise<void> {
    const communeIds = [...new Set(contents.map((content) => content.communeId))];
    try {
      const known = communeIds.map((communeId) => this.knownHeads.get(communeId));
      let heads: ChainHead[] | null = null;
      if (known.every((head): head is ChainHead => head !== undefined)) {
        const chained = chainRecords(contents, known);
        const nextPositions = known.map((head) => ({ communeId: head.communeId, seq: head.length + 1 }));
        if (await appendAfter(this.dataSource.manager, chained.records, nextPositions)) heads = chained.heads;
      }
      heads ??= await this.dataSource.transaction(async (manager) => {
        await lockChains(manager, communeIds);
        const chained = chainRecords(contents, await readHeads(manager, communeIds));
        await insertRecords(manager, chained.records);
        return chained.heads;
      });
      for (const head of heads) this.knownHeads.set(head.communeId, head);
    } catch (error) {
      for (const communeId of communeIds) this.knownHeads.delete(communeId);
      throw error;
    }
  }
}
