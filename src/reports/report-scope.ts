import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { communeScope, OutOfScopeException } from '../auth/scope';
import { ReportFilterDto } from './dto/report-query.dto';
import { daysIncluded, MAX_REPORT_DAYS, parseDay } from './report-period';
import { ReportCommune, ReportRequest } from './report-request';

/** Turns a caller's filters into a ReportRequest limited to what the caller may see (operators: their villages). */
@Injectable()
export class ReportScope {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async resolve(filter: ReportFilterDto, caller: AuthUser): Promise<ReportRequest> {
    if (!parseDay(filter.from)) throw new BadRequestException(`from: ${filter.from} is not a calendar day`);
    if (!parseDay(filter.to)) throw new BadRequestException(`to: ${filter.to} is not a calendar day`);
    if (filter.to < filter.from) throw new BadRequestException('to must not be before from');
    if (daysIncluded(filter.from, filter.to) > MAX_REPORT_DAYS) throw new BadRequestException(`a report covers at most ${MAX_REPORT_DAYS} days`);

    const operator = caller.role === Role.Operator;
    const visibleCommunes = operator ? await this.communesOfVillages(caller.villageIds) : communeScope(caller);
    const commune = await this.commune(filter.communeId, visibleCommunes);
    const villagesOfCommune = await this.villagesOf(commune.id);
    const allowed = operator ? villagesOfCommune.filter((id) => caller.villageIds.includes(id)) : villagesOfCommune;

    for (const id of filter.villageIds ?? []) {
      if (!allowed.includes(id)) throw new OutOfScopeException(`villageIds: no village of this commune has id ${id}`);
    }
    const villageIds = filter.villageIds?.length ? [...new Set(filter.villageIds)] : operator ? allowed : null;
    const speakerIds = [...new Set(filter.speakerIds ?? [])];
    if (speakerIds.length) {
      const rows = (await this.dataSource.query(`SELECT id, village_id FROM speakers WHERE id = ANY($1)`, [speakerIds])) as Array<{
        id: string;
        village_id: string;
      }>;
      for (const id of speakerIds) {
        const speaker = rows.find((row) => row.id === id);
        if (!speaker || !allowed.includes(speaker.village_id)) throw new OutOfScopeException(`speakerIds: no speaker of this commune has id ${id}`);
      }
    }
    return {
      commune,
      from: filter.from,
      to: filter.to,
      villageIds,
      speakerIds,
      topicIds: [...new Set(filter.topicIds ?? [])],
      priorities: [...new Set(filter.priorities ?? [])],
      statuses: [...new Set(filter.statuses ?? [])],
    };
  }

  private async commune(communeId: string | undefined, visible: string[] | null): Promise<ReportCommune> {
    let id = communeId;
    if (!id) {
      if (visible === null || visible.length !== 1) throw new BadRequestException('choose the commune with communeId');
      id = visible[0];
    }
    const [row] = (await this.dataSource.query(`SELECT id, name, code, timezone FROM communes WHERE id = $1`, [id])) as ReportCommune[];
    if (!row || (visible !== null && !visible.includes(id))) throw new OutOfScopeException(`No commune has id ${id}`);
    return row;
  }

  private async communesOfVillages(villageIds: string[]): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT DISTINCT commune_id FROM villages WHERE id = ANY($1)`, [villageIds])) as Array<{ commune_id: string }>;
    return rows.map((row) => row.commune_id);
  }

  private async villagesOf(communeId: string): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT id FROM villages WHERE commune_id = $1`, [communeId])) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }
}
