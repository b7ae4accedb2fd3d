import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { inScope, OutOfScopeException } from '../auth/scope';
import { isUniqueViolation } from '../database/query-helpers';
import { Page, readPage } from '../database/page';
import { CreateTopicDto, ListTopicsDto, UpdateTopicDto } from './dto/topic.dto';
import { Topic } from './topic.entity';

const SHARED_BY_ADMINS = 'Only administrators may add or change a topic shared by every commune; add one for your commune instead';

/**
 * Topics per commune: everyone sees the shared topics and those of their communes; an editor adds and changes only
 * their communes' topics, an admin any.
 */
@Injectable()
export class TopicsService {
  constructor(@InjectRepository(Topic) private readonly topics: Repository<Topic>) {}

  async list(filter: ListTopicsDto, caller: AuthUser): Promise<Page<Topic>> {
    const query = this.withCommune().orderBy('t.sortOrder', 'ASC').addOrderBy('t.name', 'ASC').addOrderBy('t.id', 'ASC');
    const communes = await this.visibleCommunes(caller);
    if (communes !== null) {
      query.andWhere(new Brackets((where) => where.where('t.commune_id IS NULL').orWhere('t.commune_id = ANY(:communes)', { communes })));
    }
    if (filter.includeInactive !== 'true') query.andWhere('t.active');
    return readPage(query, filter);
  }

  /** A topic the caller may see: a shared one or one of their communes'; any other answers 404, as if it did not exist. */
  async get(id: string, caller: AuthUser): Promise<Topic> {
    const topic = await this.withCommune().where('t.id = :id', { id }).getOne();
    if (!topic) throw new NotFoundException(`No topic has id ${id}`);
    if (topic.communeId !== null && !inScope(await this.visibleCommunes(caller), topic.communeId)) throw new OutOfScopeException(`No topic has id ${id}`);
    return topic;
  }

  /** The topic a new bulletin of `communeId` may be tagged with: active, and shared or that commune's own. */
  usableFor(id: string, communeId: string): Promise<Topic | null> {
    return this.topics
      .createQueryBuilder('t')
      .where('t.id = :id AND t.active', { id })
      .andWhere('(t.commune_id IS NULL OR t.commune_id = :communeId)', { communeId })
      .getOne();
  }

  /** A new topic goes to the end of the list unless it is given a place. */
  async create(dto: CreateTopicDto, caller: AuthUser): Promise<Topic> {
    const communeId = await this.communeOfNewTopic(dto.communeId, caller);
    const sortOrder = dto.sortOrder ?? ((await this.topics.maximum('sortOrder')) ?? 0) + 10;
    const saved = await this.saveUnique(this.topics.create({ ...dto, name: dto.name.trim(), sortOrder, communeId }));
    return this.get(saved.id, caller);
  }

  async update(id: string, dto: UpdateTopicDto, caller: AuthUser): Promise<Topic> {
    const topic = await this.get(id, caller);
    if (topic.communeId === null && caller.role !== Role.Admin) throw new ForbiddenException(SHARED_BY_ADMINS);
    const { commune: _commune, ...row } = topic;
    await this.saveUnique(this.topics.create({ ...row, ...dto, ...(dto.name ? { name: dto.name.trim() } : {}) }));
    return this.get(id, caller);
  }

  /**
   * Where a new topic goes: the commune named, if the caller works for it (404 otherwise, as for any commune outside
   * their scope); left out, an editor's only commune or, for an admin, every commune.
   */
  private async communeOfNewTopic(requested: string | null | undefined, caller: AuthUser): Promise<string | null> {
    const admin = caller.role === Role.Admin;
    if (requested === null || (requested === undefined && admin)) {
      if (!admin) throw new ForbiddenException(SHARED_BY_ADMINS);
      return null;
    }
    if (requested === undefined) {
      if (caller.communeIds.length === 1) return caller.communeIds[0];
      throw new BadRequestException('communeId is required: say which of your communes the topic is for (GET /api/communes)');
    }
    const exists = (await this.topics.manager.query('SELECT 1 FROM communes WHERE id = $1', [requested])) as unknown[];
    if (!admin && !caller.communeIds.includes(requested)) throw new OutOfScopeException(`No commune has id ${requested}`);
    if (exists.length === 0) throw new NotFoundException(`No commune has id ${requested}`);
    return requested;
  }

  /** The communes whose topics the caller sees, or null for all (admins). Operators: the communes of their villages. */
  private async visibleCommunes(caller: AuthUser): Promise<string[] | null> {
    if (caller.role === Role.Admin) return null;
    if (caller.role !== Role.Operator) return caller.communeIds;
    const rows = (await this.topics.manager.query('SELECT DISTINCT commune_id FROM villages WHERE id = ANY($1)', [caller.villageIds])) as Array<{
      commune_id: string;
    }>;
    return rows.map((row) => row.commune_id);
  }

  private withCommune() {
    return this.topics.createQueryBuilder('t').leftJoin('t.commune', 'c').addSelect(['c.id', 'c.name']);
  }

  private async saveUnique(topic: Topic): Promise<Topic> {
    try {
      return await this.topics.save(topic);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException(`A topic named "${topic.name}" already exists ${topic.communeId ? 'in this commune' : 'among the shared topics'}`);
      }
      throw error;
    }
  }
}
