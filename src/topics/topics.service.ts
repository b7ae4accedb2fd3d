import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '../database/query-helpers';
import { Page, readPage } from '../database/page';
import { CreateTopicDto, ListTopicsDto, UpdateTopicDto } from './dto/topic.dto';
import { Topic } from './topic.entity';

@Injectable()
export class TopicsService {
  constructor(@InjectRepository(Topic) private readonly topics: Repository<Topic>) {}

  list(filter: ListTopicsDto): Promise<Page<Topic>> {
    const query = this.topics.createQueryBuilder('t').orderBy('t.sortOrder', 'ASC').addOrderBy('t.name', 'ASC').addOrderBy('t.id', 'ASC');
    if (filter.includeInactive !== 'true') query.andWhere('t.active');
    return readPage(query, filter);
  }

  async get(id: string): Promise<Topic> {
    const topic = await this.topics.findOneBy({ id });
    if (!topic) throw new NotFoundException(`No topic has id ${id}`);
    return topic;
  }

  /** The topic a new bulletin may be tagged with: it must exist and be active. */
  async getActive(id: string): Promise<Topic | null> {
    return this.topics.findOneBy({ id, active: true });
  }

  /** A new topic goes to the end of the list unless it is given a place. */
  async create(dto: CreateTopicDto): Promise<Topic> {
    const sortOrder = dto.sortOrder ?? ((await this.topics.maximum('sortOrder')) ?? 0) + 10;
    return this.saveUnique(this.topics.create({ ...dto, name: dto.name.trim(), sortOrder }));
  }

  async update(id: string, dto: UpdateTopicDto): Promise<Topic> {
    const topic = await this.get(id);
    Object.assign(topic, dto, dto.name ? { name: dto.name.trim() } : {});
    return this.saveUnique(topic);
  }

  private async saveUnique(topic: Topic): Promise<Topic> {
    try {
      return await this.topics.save(topic);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException(`A topic named "${topic.name}" already exists`);
      }
      throw error;
    }
  }
}
