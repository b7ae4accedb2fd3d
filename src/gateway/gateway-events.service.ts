import { BadRequestException, ConflictException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from '../queue/redis-client';
import { verifyGatewayEvent } from '../speakers/drivers/gateway-event';
import { SIGNATURE_WINDOW_MS } from '../speakers/drivers/gateway-signature';
import { Speaker } from '../speakers/speaker.entity';
import { SpeakerTargets } from '../speakers/speaker-targets';
import { GatewayEventRecord } from './gateway-event-record.entity';

export interface SignedRequest {
  speakerId: string | undefined;
  timestamp: string | string[] | undefined;
  signature: string | string[] | undefined;
  body: Buffer | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Believes a gateway's event only when it is signed with that gateway's key, fresh, and never seen before;
 * then keeps it and counts it as a sign of life of the speaker.
 */
@Injectable()
export class GatewayEventsService {
  private readonly logger = new Logger(GatewayEventsService.name);

  constructor(
    @InjectRepository(Speaker) private readonly speakers: Repository<Speaker>,
    @InjectRepository(GatewayEventRecord) private readonly events: Repository<GatewayEventRecord>,
    private readonly targets: SpeakerTargets,
    private readonly config: AppConfig,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  async receive(request: SignedRequest): Promise<GatewayEventRecord> {
    const speaker = request.speakerId && UUID.test(request.speakerId) ? await this.speakers.findOneBy({ id: request.speakerId }) : null;
    // One answer for an unknown speaker and a bad signature, so the endpoint tells an attacker nothing.
    const refused = new UnauthorizedException('The event is not signed by a known gateway');
    if (!speaker || speaker.driver !== 'http-gateway' || !request.body) throw refused;
    const key = (this.targets.resolve(speaker).target.secrets as { key?: string }).key;
    if (!key) throw refused;

    const verdict = await verifyGatewayEvent({ key, timestamp: request.timestamp, signature: request.signature, body: request.body }, (nonce) =>
      this.seen(speaker.id, nonce),
    );
    if (!verdict.ok) {
      this.logger.warn({ speakerId: speaker.id, reason: verdict.reason }, 'Gateway event refused');
      if (verdict.reason === 'invalid') throw new BadRequestException(verdict.problems.join('; '));
      if (verdict.reason === 'replayed') throw new ConflictException('This event was already received (same nonce)');
      if (verdict.reason === 'expired') throw new UnauthorizedException('The event timestamp is too far from now; check the gateway clock');
      throw refused;
    }
    const { event } = verdict;
    const record = await this.events.save(
      this.events.create({
        speakerId: speaker.id,
        playbackId: event.playbackId,
        event: event.event,
        deviceAt: new Date(event.at),
        reason: event.reason ?? null,
        nonce: event.nonce,
      }),
    );
    await this.speakers.update({ id: speaker.id }, { lastSeenAt: record.receivedAt });
    return record;
  }

  /** Atomic in Redis, kept twice the signature window: a nonce outside it fails the timestamp check anyway. */
  private async seen(speakerId: string, nonce: string): Promise<boolean> {
    const key = `${this.config.redis.queuePrefix}:gateway-nonce:${speakerId}:${nonce}`;
    return (await this.redis.set(key, '1', 'PX', 2 * SIGNATURE_WINDOW_MS, 'NX')) === null;
  }
}
