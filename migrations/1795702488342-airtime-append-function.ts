import { MigrationInterface, QueryRunner } from 'typeorm';

export class AirtimeAppendFunction1795702488342 implements MigrationInterface {
  name = 'AirtimeAppendFunction1795702488342';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // One round trip per group commit: take the chain locks, then (each statement of a VOLATILE function seeing what
    // was committed before it, so after the locks) insert the records unless a next position is already taken, in
    // which case nothing is inserted and 0 is answered. Runs with the caller's rights (SECURITY INVOKER).
    await queryRunner.query(`
      CREATE FUNCTION airtime_append(
        lock_namespace integer, next_communes uuid[], next_seqs bigint[],
        commune_ids uuid[], seqs bigint[], recorded_ats timestamptz[], events text[], evidence_levels text[], occurred_ats timestamptz[],
        village_ids uuid[], speaker_ids uuid[], playback_ids uuid[], audio_sha256s text[], scheduled_ats timestamptz[],
        actual_ats timestamptz[], on_air_mss integer[], evidences jsonb[], prev_hashes text[], hashes text[]
      ) RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        inserted integer;
      BEGIN
        PERFORM pg_advisory_xact_lock(lock_namespace, keys.key)
          FROM (SELECT DISTINCT hashtext(c::text) AS key FROM unnest(next_communes) AS c ORDER BY 1) AS keys;
        IF EXISTS (
          SELECT 1 FROM unnest(next_communes, next_seqs) AS taken(commune_id, seq)
          CROSS JOIN LATERAL (SELECT 1 FROM airtime_records r WHERE r.commune_id = taken.commune_id AND r.seq = taken.seq LIMIT 1) AS held
        ) THEN
          RETURN 0;
        END IF;
        INSERT INTO airtime_records (commune_id, seq, recorded_at, event, evidence_level, occurred_at, village_id, speaker_id, playback_id,
          audio_sha256, scheduled_at, actual_at, on_air_ms, evidence, prev_hash, hash)
        SELECT * FROM unnest(commune_ids, seqs, recorded_ats, events, evidence_levels, occurred_ats, village_ids, speaker_ids, playback_ids,
          audio_sha256s, scheduled_ats, actual_ats, on_air_mss, evidences, prev_hashes, hashes);
        GET DIAGNOSTICS inserted = ROW_COUNT;
        RETURN inserted;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION airtime_append(integer, uuid[], bigint[], uuid[], bigint[], timestamptz[], text[], text[], timestamptz[], uuid[], uuid[], uuid[], text[], timestamptz[], timestamptz[], integer[], jsonb[], text[], text[])`,
    );
  }
}
