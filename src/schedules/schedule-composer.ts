import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { communeScope, inScope, OutOfScopeException } from '../auth/scope';
import { BulletinStatus } from '../bulletins/bulletin-status';
import { Bulletin } from '../bulletins/bulletin.entity';
import { Commune } from '../communes/commune.entity';
import { Village } from '../communes/village.entity';
import { Speaker } from '../speakers/speaker.entity';
import { ScheduleTargetsDto } from './dto/schedule.dto';
import { programLength, sessionCapProblem } from './program';

export interface ComposedProgram {
  commune: Commune;
  bulletinIds: string[];
  targets: { communeIds: string[]; villageIds: string[]; speakerIds: string[] };
  programMs: number;
}

const unique = (ids: string[] | undefined) => [...new Set(ids ?? [])];

/**
 * Checks what a schedule plays and where: every target and bulletin in the caller's scope (else the same 404
 * as a missing one), bulletins approved, everything of one commune, and the program within its session cap.
 */
@Injectable()
export class ScheduleComposer {
  constructor(
    @InjectRepository(Bulletin) private readonly bulletins: Repository<Bulletin>,
    @InjectRepository(Commune) private readonly communes: Repository<Commune>,
    @InjectRepository(Village) private readonly villages: Repository<Village>,
    @InjectRepository(Speaker) private readonly speakers: Repository<Speaker>,
  ) {}

  async compose(input: { bulletinIds: string[]; targets: ScheduleTargetsDto; chime: boolean }, caller: AuthUser): Promise<ComposedProgram> {
    const scope = communeScope(caller);
    const targets = { communeIds: unique(input.targets.communeIds), villageIds: unique(input.targets.villageIds), speakerIds: unique(input.targets.speakerIds) };
    if (targets.communeIds.length + targets.villageIds.length + targets.speakerIds.length === 0) {
      throw new BadRequestException('targets must name at least one commune (communeIds), village (villageIds) or speaker (speakerIds)');
    }
    const communeOf = new Map<string, string>();
    const found = await this.communes.findBy({ id: In(targets.communeIds) });
    for (const id of targets.communeIds) {
      if (!found.some((commune) => commune.id === id) || !inScope(scope, id)) throw new OutOfScopeException(`targets.communeIds: no commune has id ${id}`);
      communeOf.set(`commune ${id}`, id);
    }
    const villages = await this.villages.findBy({ id: In(targets.villageIds) });
    for (const id of targets.villageIds) {
      const village = villages.find((candidate) => candidate.id === id);
      if (!village || !inScope(scope, village.communeId)) throw new OutOfScopeException(`targets.villageIds: no village has id ${id}`);
      communeOf.set(`village ${id}`, village.communeId);
    }
    const speakers = await this.speakers.find({ where: { id: In(targets.speakerIds) }, relations: { village: true } });
    for (const id of targets.speakerIds) {
      const speaker = speakers.find((candidate) => candidate.id === id);
      if (!speaker || !inScope(scope, speaker.village!.communeId)) throw new OutOfScopeException(`targets.speakerIds: no speaker has id ${id}`);
      communeOf.set(`speaker ${id}`, speaker.village!.communeId);
    }
    const durations = await this.checkBulletins(input.bulletinIds, scope, communeOf);
    const communeIds = new Set(communeOf.values());
    if (communeIds.size !== 1) {
      throw new BadRequestException(
        `targets and bulletinIds must all belong to one commune; they belong to ${communeIds.size}: ` +
          [...communeIds]
            .map(
              (communeId) =>
                `${communeId} (${[...communeOf]
                  .filter(([, id]) => id === communeId)
                  .map(([what]) => what)
                  .join(', ')})`,
            )
            .join('; '),
      );
    }
    const commune = await this.communes.findOneByOrFail({ id: [...communeIds][0] });
    const program = programLength(durations, input.chime);
    const problem = sessionCapProblem(program, commune.maxSessionSeconds);
    if (problem) throw new BadRequestException(problem);
    return { commune, bulletinIds: input.bulletinIds, targets, programMs: program.totalMs };
  }

  /** The durations of the bulletins in program order, each checked; records each one's commune. */
  private async checkBulletins(ids: string[], scope: string[] | null, communeOf: Map<string, string>): Promise<number[]> {
    const bulletins = await this.bulletins.findBy({ id: In(unique(ids)) });
    return ids.map((id, index) => {
      const bulletin = bulletins.find((candidate) => candidate.id === id);
      if (!bulletin || !inScope(scope, bulletin.communeId)) throw new OutOfScopeException(`bulletinIds[${index}]: no bulletin has id ${id}`);
      if (bulletin.status !== BulletinStatus.Approved) {
        throw new BadRequestException(
          `bulletinIds[${index}]: bulletin "${bulletin.title}" (${id}) is ${bulletin.status}, not approved; only approved bulletins can be scheduled`,
        );
      }
      if (!bulletin.durationMs) throw new BadRequestException(`bulletinIds[${index}]: bulletin "${bulletin.title}" (${id}) has no rendition duration yet`);
      communeOf.set(`bulletin ${id}`, bulletin.communeId);
      return bulletin.durationMs;
    });
  }
}
