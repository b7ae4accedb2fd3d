import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Speaker } from '../speakers/speaker.entity';
import { ScheduleTarget } from './schedule-target.entity';

/**
 * Resolves a schedule's targets to the enabled speakers they mean *now*, so a speaker added to a targeted
 * village later is included. The planner resolves through this too.
 */
@Injectable()
export class ScheduleSpeakers {
  constructor(@InjectRepository(Speaker) private readonly speakers: Repository<Speaker>) {}

  /** Enabled speakers of each schedule, by schedule id (a schedule without any maps to []). */
  async resolve(scheduleIds: string[]): Promise<Map<string, Speaker[]>> {
    const result = new Map<string, Speaker[]>(scheduleIds.map((id) => [id, []]));
    if (scheduleIds.length === 0) return result;
    const rows = await this.speakers
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.village', 'v')
      .innerJoin(ScheduleTarget, 't', '(t.speaker_id = s.id OR t.village_id = s.village_id OR t.commune_id = v.commune_id)')
      .addSelect('t.schedule_id', 'schedule_id')
      .where('t.schedule_id IN (:...scheduleIds)', { scheduleIds })
      .andWhere('s.enabled = true')
      .orderBy('v.name', 'ASC')
      .addOrderBy('s.name', 'ASC')
      .getRawAndEntities();
    // By id, not by searching the lists: a province-wide schedule resolves to tens of thousands of speakers.
    const speakers = new Map(rows.entities.map((speaker) => [speaker.id, speaker]));
    const seen = new Set<string>();
    for (const raw of rows.raw as Array<{ schedule_id: string; s_id: string }>) {
      const key = `${raw.schedule_id}/${raw.s_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.get(raw.schedule_id)!.push(speakers.get(raw.s_id)!);
    }
    return result;
  }

  /** Communes with a speaker registered, edited, enabled, disabled or moved since `since` (its status aside). */
  async communesWithChangesSince(since: Date): Promise<string[]> {
    const rows = (await this.speakers
      .createQueryBuilder('s')
      .innerJoin('s.village', 'v')
      .select('DISTINCT v.commune_id', 'commune_id')
      .where('s.configured_at > :since', { since })
      .getRawMany()) as Array<{ commune_id: string }>;
    return rows.map((row) => row.commune_id);
  }
}
