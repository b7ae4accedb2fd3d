import { AirtimeRecord } from './airtime-record.entity';
import { RecordContent } from './record-hash';

/** A record as the API shows it: its hashed content, and the two hashes that chain it. */
export interface AirtimeRecordView extends RecordContent {
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
