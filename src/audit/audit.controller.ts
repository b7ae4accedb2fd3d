import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Page, readPage } from '../database/page';
import { Allow } from '../auth/access.decorators';
import { containsPattern } from '../database/query-helpers';
import { Role } from '../auth/role';
import { UsersService } from '../users/users.service';
import { AuditEntry } from './audit-entry.entity';
import { AuditEntryView, peopleIn, toAuditEntryView } from './audit-entry-view';
import { ListAuditDto } from './dto/list-audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
    private readonly users: UsersService,
  ) {}

  @Get()
  @Allow(Role.Admin)
  @ApiOperation({ summary: 'Who did what, newest first (admins), with the names of the people involved' })
  async list(@Query() filter: ListAuditDto): Promise<Page<AuditEntryView>> {
    const query = this.entries.createQueryBuilder('a');
    if (filter.actorId) query.andWhere('a.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.personId) query.andWhere('(a.actor_id = :personId OR a.resource_id = :personIdText)', { personId: filter.personId, personIdText: filter.personId });
    if (filter.actor) query.andWhere('a.actor_username = :actor', { actor: filter.actor.toLowerCase() });
    if (filter.action) query.andWhere('a.action ILIKE :action', { action: containsPattern(filter.action) });
    if (filter.resourceId) query.andWhere('a.resource_id = :resourceId', { resourceId: filter.resourceId });
    if (filter.outcome) query.andWhere('a.outcome = :outcome', { outcome: filter.outcome });
    if (filter.from) query.andWhere('a.at >= :from', { from: new Date(filter.from) });
    if (filter.to) query.andWhere('a.at < :to', { to: new Date(filter.to) });
    const page = await readPage(query.orderBy('a.id', 'DESC'), filter);
    const names = await this.users.namesOf(page.items.flatMap(peopleIn));
    return { ...page, items: page.items.map((entry) => toAuditEntryView(entry, names)) };
  }
}
