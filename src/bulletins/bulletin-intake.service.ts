import { BadRequestException, ConflictException, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request } from 'express';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '../database/query-helpers';
import { AuthUser } from '../auth/auth-user';
import { communeScope, inScope, OutOfScopeException } from '../auth/scope';
import { Commune } from '../communes/commune.entity';
import { AppConfig } from '../config/app-config';
import { AudioStore } from '../storage/audio-store';
import { TopicsService } from '../topics/topics.service';
import { AudioInspector } from './audio-inspector';
import { AudioJobs } from './audio-jobs';
import { BulletinStatus } from './bulletin-status';
import { Bulletin } from './bulletin.entity';
import { BulletinsService } from './bulletins.service';
import { UPLOAD_TEXT_FIELDS, UploadBulletinDto } from './dto/upload-bulletin.dto';
import { displayFilename } from './upload/display-filename';
import { receiveUpload } from './upload/multipart-upload';

function duplicateOf(existing: Pick<Bulletin, 'id' | 'title'>): ConflictException {
  return new ConflictException({
    message: `This audio was already uploaded as the bulletin "${existing.title}" (id ${existing.id})`,
    bulletinId: existing.id,
  });
}

/**
 * Takes an upload from the wire to a stored original and a queued render, or refuses it with nothing stored.
 */
@Injectable()
export class BulletinIntakeService {
  private readonly logger = new Logger(BulletinIntakeService.name);

  constructor(
    @InjectRepository(Bulletin) private readonly bulletins: Repository<Bulletin>,
    @InjectRepository(Commune) private readonly communes: Repository<Commune>,
    private readonly library: BulletinsService,
    private readonly topics: TopicsService,
    private readonly inspector: AudioInspector,
    private readonly store: AudioStore,
    private readonly jobs: AudioJobs,
    private readonly config: AppConfig,
  ) {}

  async upload(request: Request, caller: AuthUser): Promise<Bulletin> {
    const tempPath = this.store.temporaryPath();
    // Set once known, so that losing a race on the unique index answers the same 409 as a later duplicate.
    let identity: { communeId: string; sha256: string } | null = null;
    try {
      const upload = await receiveUpload(request, tempPath, {
        maxFileBytes: this.config.audio.uploadMaxBytes,
        idleTimeoutMs: this.config.audio.uploadIdleTimeoutMs,
        fileField: 'file',
        textFields: UPLOAD_TEXT_FIELDS,
      });
      const fields = await this.validFields(upload.fields);
      const communeId = await this.communeFor(fields.communeId, caller);
      if (!(await this.topics.usableFor(fields.topic, communeId))) {
        throw new BadRequestException(`topic ${fields.topic} is not an active topic of this commune; pick one from GET /api/topics`);
      }
      identity = { communeId, sha256: upload.sha256 };
      const existing = await this.library.findByOriginal(communeId, upload.sha256);
      if (existing) throw duplicateOf(existing);
      const audio = await this.inspector.inspect(tempPath, upload.bytes);

      const bulletin = await this.bulletins.manager.transaction(async (manager) => {
        const saved = await manager.save(
          manager.create(Bulletin, {
            title: fields.title.trim(),
            communeId,
            uploadedBy: caller.id,
            topicId: fields.topic,
            language: fields.language ?? 'vi',
            notes: fields.notes?.trim() || null,
            status: BulletinStatus.Queued,
            originalSha256: upload.sha256,
            originalFilename: displayFilename(upload.clientFilename),
            originalBytes: upload.bytes,
            originalFormat: audio.formatName,
            originalCodec: audio.codec,
            originalDurationMs: Math.round(audio.durationSeconds * 1000),
            originalSampleRate: audio.sampleRate,
            originalChannels: audio.channels,
            originalPeakDbfs: audio.peakDbfs,
          }),
        );
        // Inside the transaction: if storing the file fails, the row is rolled back with it.
        await this.store.adopt(tempPath, 'originals', upload.sha256);
        return saved;
      });
      this.logger.log({ bulletinId: bulletin.id, sha256: upload.sha256, bytes: upload.bytes }, 'Bulletin uploaded');
      await this.jobs.queueRender(bulletin.id);
      return this.library.get(bulletin.id, caller);
    } catch (error) {
      throw await this.duplicateIfRaced(error, identity);
    } finally {
      await this.store.discard(tempPath);
    }
  }

  private async validFields(raw: Record<string, string>): Promise<UploadBulletinDto> {
    const fields = plainToInstance(UploadBulletinDto, raw);
    const errors = await validate(fields, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      const messages = errors.flatMap((error) =>
        Object.values(error.constraints ?? {}).map((text) => (text.startsWith(error.property) ? text : `${error.property}: ${text}`)),
      );
      throw new BadRequestException(messages.join('; '));
    }
    return fields;
  }

  /**
   * The commune the upload is for: the one named, if the caller works for it; else the caller's only commune.
   * A commune outside the caller's scope answers 404, as if it did not exist.
   */
  private async communeFor(requested: string | undefined, caller: AuthUser): Promise<string> {
    const scope = communeScope(caller);
    if (requested) {
      if (!inScope(scope, requested) || !(await this.communes.exists({ where: { id: requested } }))) {
        throw new OutOfScopeException(`No commune has id ${requested}`);
      }
      return requested;
    }
    if (scope?.length === 1) return scope[0];
    throw new BadRequestException('communeId is required: say which commune the bulletin is for (GET /api/communes)');
  }

  /** Two identical uploads at once: the loser of the unique index gets the same 409 as a later duplicate. */
  private async duplicateIfRaced(error: unknown, identity: { communeId: string; sha256: string } | null): Promise<unknown> {
    if (!identity || !isUniqueViolation(error)) {
      return error;
    }
    const existing = await this.library.findByOriginal(identity.communeId, identity.sha256);
    return existing ? duplicateOf(existing) : error;
  }
}
