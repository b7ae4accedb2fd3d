import type { EvidenceLevel, ItemEvidence } from '../speakers/drivers/speaker-driver';
import type { PlaybackEvidenceRecord } from './playback.entity';

const LEVELS: EvidenceLevel[] = ['commanded', 'acknowledged', 'device_reported'];

/** The record of a program's evidence: one item per program item sent, the level being the weakest of them. */
export function evidenceRecord(items: ItemEvidence[]): PlaybackEvidenceRecord {
  const weakest = items.reduce((level, item) => Math.min(level, LEVELS.indexOf(item.evidence.level)), LEVELS.length - 1);
  return {
    level: items.length ? LEVELS[weakest] : 'commanded',
    items: items.map(({ bulletinId, evidence }) => ({
      bulletinId,
      level: evidence.level,
      commandedAt: evidence.commandedAt.toISOString(),
      ...(evidence.offsetMs !== undefined ? { offsetMs: evidence.offsetMs } : {}),
      ...(evidence.acknowledgedAt ? { acknowledgedAt: evidence.acknowledgedAt.toISOString() } : {}),
      ...(evidence.finishedAt ? { finishedAt: evidence.finishedAt.toISOString() } : {}),
      device: evidence.device,
      ...(evidence.note ? { note: evidence.note } : {}),
    })),
  };
}
