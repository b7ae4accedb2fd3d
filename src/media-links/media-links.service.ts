import { Injectable } from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import type { DriverAudioFormat } from '../speakers/drivers/speaker-driver';
import { MediaLinkVerdict, signMediaLink, verifyMediaLink } from './media-link-token';

/** Links let a device fetch a rendition for this long; a gateway starts fetching at once. */
export const DEFAULT_LINK_TTL_SECONDS = 30 * 60;

/** Signed, expiring URLs to bulletin audio for devices that fetch it themselves (HTTP gateways). */
@Injectable()
export class MediaLinks {
  /** Derived from SECRETS_KEY, so that a media link can never be mistaken for anything else signed with it. */
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.secretsKey, Buffer.alloc(0), 'loa media links', 32));
  }

  urlFor(renditionSha256: string, format: DriverAudioFormat, ttlSeconds = DEFAULT_LINK_TTL_SECONDS): string {
    const token = signMediaLink({ sha256: renditionSha256, format, exp: Math.floor(Date.now() / 1000) + ttlSeconds }, this.key);
    return `${this.config.publicUrl}/api/media/${token}`;
  }

  verify(token: string): MediaLinkVerdict {
    return verifyMediaLink(token, this.key);
  }
}
