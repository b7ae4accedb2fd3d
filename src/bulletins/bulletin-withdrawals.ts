import { Injectable, Logger } from '@nestjs/common';
import { BulletinStatus } from './bulletin-status';

/** A bulletin leadership rejected, or that was archived: whatever waits to air it must not. */
export interface BulletinWithdrawal {
  bulletinId: string;
  communeId: string;
  status: BulletinStatus.Rejected | BulletinStatus.Archived;
}

export type BulletinWithdrawalListener = (withdrawal: BulletinWithdrawal) => Promise<void>;

/**
 * The feed of committed rejections and archivings, published by BulletinsService after each commit. Publishing waits
 * for every listener, so when the request answers, the schedules that name the bulletin are already held and their
 * waiting playbacks withdrawn (the schedule replanner listens). A listener that fails is logged and does not fail the
 * rejection: the planner's tick holds them too, and the dispatcher sends nothing that is not approved.
 */
@Injectable()
export class BulletinWithdrawals {
  private readonly logger = new Logger(BulletinWithdrawals.name);
  private readonly listeners = new Set<BulletinWithdrawalListener>();

  /** Adds a listener; call the returned function to remove it. */
  subscribe(listener: BulletinWithdrawalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async publish(withdrawal: BulletinWithdrawal): Promise<void> {
    await Promise.all(
      [...this.listeners].map((listener) =>
        listener(withdrawal).catch((error: unknown) => this.logger.error({ err: error, ...withdrawal }, 'A bulletin withdrawal listener failed')),
      ),
    );
  }
}
