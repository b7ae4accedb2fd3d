import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Page, readPage } from '../database/page';
import { isUniqueViolation } from '../database/query-helpers';
import { AuthUser } from '../auth/auth-user';
import { OutOfScopeException } from '../auth/scope';
import { Role } from '../auth/role';
import { Commune } from './commune.entity';
import { CreateCommuneDto, CreateVillageDto, ListCommunesDto, ListVillagesDto, UpdateCommuneDto, UpdateVillageDto } from './dto/commune.dto';
import { Village } from './village.entity';

/**
 * Communes and villages, the places everything else belongs to. Admins write; everyone reads what is in
 * their scope (an operator sees its villages and their communes).
 */
@Injectable()
export class CommunesService {
  constructor(
    @InjectRepository(Commune) private readonly communes: Repository<Commune>,
    @InjectRepository(Village) private readonly villages: Repository<Village>,
  ) {}

  /** The communes the caller may see, or null for all. */
  async visibleCommuneIds(caller: AuthUser): Promise<string[] | null> {
    if (caller.role === Role.Admin) return null;
    if (caller.role !== Role.Operator) return caller.communeIds;
    if (caller.villageIds.length === 0) return [];
    const villages = await this.villages.findBy({ id: In(caller.villageIds) });
    return [...new Set(villages.map((village) => village.communeId))];
  }

  async listCommunes(paging: ListCommunesDto, caller: AuthUser): Promise<Page<Commune>> {
    const scope = await this.visibleCommuneIds(caller);
    const query = this.communes.createQueryBuilder('c').orderBy('c.name', 'ASC').addOrderBy('c.id', 'ASC');
    if (scope !== null) query.andWhere('c.id IN (:...scope)', { scope: scope.length ? scope : [null] });
    return readPage(query, paging);
  }

  async getCommune(id: string, caller: AuthUser): Promise<Commune> {
    const scope = await this.visibleCommuneIds(caller);
    const commune = await this.communes.findOneBy({ id });
    if (!commune) throw new OutOfScopeException(`No commune has id ${id}`);
    if (scope !== null && !scope.includes(id)) throw new OutOfScopeException(`No commune has id ${id}`);
    return commune;
  }

  async createCommune(dto: CreateCommuneDto): Promise<Commune> {
    return this.saveCommune(this.communes.create({ ...dto, name: dto.name.trim() }));
  }

  async updateCommune(id: string, dto: UpdateCommuneDto, caller: AuthUser): Promise<Commune> {
    const commune = await this.getCommune(id, caller);
    return this.saveCommune(Object.assign(commune, dto));
  }

  listVillages(filter: ListVillagesDto, caller: AuthUser): Promise<Page<Village>> {
    const query = this.villages.createQueryBuilder('v').orderBy('v.name', 'ASC').addOrderBy('v.id', 'ASC');
    if (filter.communeId) query.andWhere('v.commune_id = :communeId', { communeId: filter.communeId });
    if (caller.role === Role.Operator) query.andWhere('v.id IN (:...ids)', { ids: caller.villageIds.length ? caller.villageIds : [null] });
    else if (caller.role !== Role.Admin) query.andWhere('v.commune_id IN (:...ids)', { ids: caller.communeIds.length ? caller.communeIds : [null] });
    return readPage(query, filter);
  }

  async getVillage(id: string, caller: AuthUser): Promise<Village> {
    const village = await this.villages.findOneBy({ id });
    const visible =
      village && (caller.role === Role.Admin || (caller.role === Role.Operator ? caller.villageIds.includes(id) : caller.communeIds.includes(village.communeId)));
    if (!visible) throw new OutOfScopeException(`No village has id ${id}`);
    return village;
  }

  async createVillage(dto: CreateVillageDto, caller: AuthUser): Promise<Village> {
    await this.getCommune(dto.communeId, caller);
    return this.saveVillage(this.villages.create({ ...dto, name: dto.name.trim() }));
  }

  async updateVillage(id: string, dto: UpdateVillageDto, caller: AuthUser): Promise<Village> {
    const village = await this.getVillage(id, caller);
    return this.saveVillage(Object.assign(village, dto));
  }

  private async saveCommune(commune: Commune): Promise<Commune> {
    try {
      return await this.communes.save(commune);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`A commune with code ${commune.code} already exists`);
      throw error;
    }
  }

  private async saveVillage(village: Village): Promise<Village> {
    try {
      return await this.villages.save(village);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`The commune already has a village named "${village.name}"`);
      throw error;
    }
  }
}
