import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Page, readPage } from '../database/page';
import { Allow } from '../auth/access.decorators';
import { containsPattern } from '../database/query-helpers';
import { Role } from '../auth/role';
import { AuditEntry } from './audit-entry.entity';
import { ListAuditDto } from './dto/list-audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  @Get()
  @Allow(Role.Admin)
  @ApiOperation({ summary: 'Who did what, newest first (admins)' })
  list(@Query() filter: ListAuditDto): Promise<Page<AuditEntry>> {
    const query = this.entries.createQueryBuilder('a');
    if (filter.actorId) query.andWhere('a.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.actor) query.andWhere('a.actor_username = :actor', { actor: filter.actor.toLowerCase() });
    if (filter.action) query.andWhere('a.action ILIKE :action', { action: containsPattern(filter.action) });
    if (filter.resourceId) query.andWhere('a.resource_id = :resourceId', { resourceId: filter.resourceId });
    if (filter.outcome) query.andWhere('a.outcome = :outcome', { outcome: filter.outcome });
    if (filter.from) query.andWhere('a.at >= :from', { from: new Date(filter.from) });
    if (filter.to) query.andWhere('a.at < :to', { to: new Date(filter.to) });
    return readPage(query.orderBy('a.id', 'DESC'), filter);
  }
}
