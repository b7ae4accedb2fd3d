import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Page, readPage } from '../database/page';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { OutOfScopeException } from '../auth/scope';
import { CommunesService } from '../communes/communes.service';
import { isUniqueViolation } from '../database/query-helpers';
import { SecretBox } from '../security/secret-box';
import { AppConfig } from '../config/app-config';
import { settingsDeviceUrl } from './drivers/base-url';
import { LOOPBACK, refusedDeviceHost } from './drivers/device-address';
import { DriverConfigError, validateDriverSecrets, validateDriverSettings } from './drivers/driver-config';
import { SpeakerDriverRegistry } from './drivers/drivers';
import { CreateSpeakerDto, ListSpeakersDto, UpdateSpeakerDto } from './dto/speaker.dto';
import { Speaker } from './speaker.entity';
import { toSpeakerView, SpeakerView } from './speaker-view';

/** The speaker registry: admins write, everyone reads the speakers of their villages or communes. */
@Injectable()
export class SpeakersService {
  constructor(
    @InjectRepository(Speaker) private readonly speakers: Repository<Speaker>,
    private readonly communes: CommunesService,
    private readonly drivers: SpeakerDriverRegistry,
    private readonly secretBox: SecretBox,
    private readonly config: AppConfig,
  ) {}

  list(filter: ListSpeakersDto, caller: AuthUser): Promise<Page<SpeakerView>> {
    const query = this.speakers
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.village', 'v')
      .orderBy('v.name', 'ASC')
      .addOrderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC');
    if (caller.role === Role.Operator) query.andWhere('s.village_id IN (:...villages)', { villages: caller.villageIds.length ? caller.villageIds : [null] });
    else if (caller.role !== Role.Admin) query.andWhere('v.commune_id IN (:...communes)', { communes: caller.communeIds.length ? caller.communeIds : [null] });
    if (filter.villageId) query.andWhere('s.village_id = :villageId', { villageId: filter.villageId });
    if (filter.communeId) query.andWhere('v.commune_id = :communeId', { communeId: filter.communeId });
    if (filter.status) query.andWhere('s.status = :status', { status: filter.status });
    if (filter.tag) query.andWhere(':tag = ANY(s.tags)', { tag: filter.tag });
    return readPage(query, filter, (speaker) => toSpeakerView(speaker, caller));
  }

  /** The speaker if the caller may see it; the same 404 whether it does not exist or is out of scope. */
  async find(id: string, caller: AuthUser): Promise<Speaker> {
    const speaker = await this.speakers.findOne({ where: { id }, relations: { village: true } });
    if (!speaker) throw new OutOfScopeException(`No speaker has id ${id}`);
    await this.communes.getVillage(speaker.villageId, caller).catch(() => {
      throw new OutOfScopeException(`No speaker has id ${id}`);
    });
    return speaker;
  }

  async get(id: string, caller: AuthUser): Promise<SpeakerView> {
    return toSpeakerView(await this.find(id, caller), caller);
  }

  async create(dto: CreateSpeakerDto, caller: AuthUser): Promise<SpeakerView> {
    await this.communes.getVillage(dto.villageId, caller);
    const driver = this.drivers.get(dto.driver);
    const speaker = this.speakers.create({
      villageId: dto.villageId,
      name: dto.name.trim(),
      driver: dto.driver,
      settings: await this.reachable(this.valid(() => validateDriverSettings(driver, dto.settings ?? {}))),
      secretsSealed: this.sealed(this.valid(() => validateDriverSecrets(driver, dto.secrets))),
      latitude: dto.location?.lat ?? null,
      longitude: dto.location?.lng ?? null,
      tags: dto.tags ?? [],
      enabled: dto.enabled ?? true,
    });
    return this.get((await this.save(speaker)).id, caller);
  }

  async update(id: string, dto: UpdateSpeakerDto, caller: AuthUser): Promise<SpeakerView> {
    const speaker = await this.find(id, caller);
    const driver = this.drivers.get(speaker.driver);
    if (dto.villageId !== undefined && dto.villageId !== speaker.villageId) {
      // The relation is replaced with the column: saving the loaded old village would put the speaker back.
      speaker.village = await this.communes.getVillage(dto.villageId, caller);
      speaker.villageId = speaker.village.id;
    }
    if (dto.name !== undefined) speaker.name = dto.name.trim();
    if (dto.settings !== undefined) speaker.settings = await this.reachable(this.valid(() => validateDriverSettings(driver, dto.settings)));
    if (dto.secrets !== undefined) speaker.secretsSealed = this.sealed(this.valid(() => validateDriverSecrets(driver, dto.secrets)));
    if (dto.location !== undefined) {
      speaker.latitude = dto.location?.lat ?? null;
      speaker.longitude = dto.location?.lng ?? null;
    }
    if (dto.tags !== undefined) speaker.tags = dto.tags;
    if (dto.enabled !== undefined) speaker.enabled = dto.enabled;
    await this.save(speaker);
    return this.get(id, caller);
  }

  /** The settings, unless their device address is one no speaker may have (this machine, cloud metadata, multicast): then a 400. */
  private async reachable(settings: object): Promise<Record<string, unknown>> {
    const url = settingsDeviceUrl(settings);
    const refused = url && (await refusedDeviceHost(url, this.config.speakers.allowLoopback));
    if (refused) {
      throw new BadRequestException(
        `settings.url points at ${refused}, where no speaker can be: give the device's address on the speakers' network, such as http://10.0.0.5` +
          (refused.startsWith(LOOPBACK) ? ' (loopback is allowed only with SPEAKER_ALLOW_LOOPBACK=true, for emulators and test devices)' : ''),
      );
    }
    return { ...settings };
  }

  private sealed(secrets: object): string | null {
    return Object.keys(secrets).length > 0 ? this.secretBox.seal(secrets) : null;
  }

  /** Runs a driver validation, turning its problems into a 400 that names each field (never a value). */
  private valid<T>(validate: () => T): T {
    try {
      return validate();
    } catch (error) {
      if (error instanceof DriverConfigError) throw new BadRequestException(error.problems.join('; '));
      throw error;
    }
  }

  private async save(speaker: Speaker): Promise<Speaker> {
    speaker.configuredAt = new Date();
    try {
      return await this.speakers.save(speaker);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`The village already has a speaker named "${speaker.name}"`);
      throw error;
    }
  }
}
