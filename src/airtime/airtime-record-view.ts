import { AirtimeEvent, AirtimeEvidenceLevel } from './airtime-ledger';
import { AirtimeRecord } from './airtime-record.entity';

export interface AirtimeRecordView {
  communeId: string;
  seq: number;
  recordedAt: string;
  event: AirtimeEvent;
  evidenceLevel: AirtimeEvidenceLevel | null;
  occurredAt: string;
  villageId: string;
  speakerId: string;
  playbackId: string;
  audioSha256: string | null;
  scheduledAt: string;
  actualAt: string | null;
  onAirMs: number | null;
  evidence: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

export function toAirtimeRecordView(record: AirtimeRecord): AirtimeRecordView {
  return {
    communeId: record.communeId,
    seq: Number(record.seq),
    recordedAt: record.recordedAt.toISOString(),
    event: record.event,
    evidenceLevel: record.evidenceLevel,
    occurredAt: record.occurredAt.toISOString(),
    villageId: record.villageId,
    speakerId: record.speakerId,
    playbackId: record.playbackId,
    audioSha256: record.audioSha256,
    scheduledAt: record.scheduledAt.toISOString(),
    actualAt: record.actualAt?.toISOString() ?? null,
    onAirMs: record.onAirMs,
    evidence: record.evidence,
    prevHash: record.prevHash,
    hash: record.hash,
  };
}
