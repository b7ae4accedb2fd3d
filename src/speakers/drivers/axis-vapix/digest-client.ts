import { randomBytes } from 'node:crypto';
import { DriverError } from '../driver-error';
import { ExchangeResponse } from '../http-exchange';
import { DigestChallenge, digestAuthorization, parseDigestChallenge } from './digest-auth';

export interface DigestCredentials {
  username: string;
  password: string;
}

export interface DigestRequest {
  /** Identifies the protection space whose nonce may be reused, e.g. origin and username. */
  sessionKey: string;
  credentials: DigestCredentials;
  method: string;
  uri: string;
  /** Sends the request, with an Authorization value or without one. */
  send: (authorization: string | null) => Promise<ExchangeResponse>;
  /**
   * A cheap request (no body) that fetches the challenge before `send` is first used, so a large body is never
   * uploaded just to be refused with a 401. A 2xx answer means the device asks for no credentials.
   */
  probe?: () => Promise<ExchangeResponse>;
}

interface DigestSession {
  challenge: DigestChallenge;
  nonceCount: number;
}

const MAX_SESSIONS = 20_000;

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * Answers HTTP Digest challenges and reuses each device's nonce with increasing nonce counts. At most one fresh
 * challenge is answered per request, plus one renewal of a stale nonce: a refused password is an `auth` error
 * after one round, never a retry loop.
 */
export class DigestClient {
  private readonly sessions = new Map<string, DigestSession>();

  async request(request: DigestRequest): Promise<ExchangeResponse> {
    let challenge = this.sessions.get(request.sessionKey)?.challenge ?? null;
    let answeredFresh = false;
    let renewedStale = false;
    if (!challenge && request.probe) {
      const probed = await request.probe();
      if (probed.status === 401) {
        challenge = this.challengeOf(probed, request);
        answeredFresh = true;
      } else if (!isSuccess(probed.status)) return probed;
    }
    for (;;) {
      const response = await request.send(challenge ? this.authorization(request, challenge) : null);
      if (response.status !== 401) return response;
      const next = this.challengeOf(response, request);
      if (answeredFresh && !(next.stale && !renewedStale)) {
        this.sessions.delete(request.sessionKey);
        throw new DriverError(
          'auth',
          `${request.credentials.username} was refused by the device (HTTP Digest): check the username and password stored for this speaker`,
        );
      }
      if (answeredFresh) renewedStale = true;
      answeredFresh = true;
      challenge = next;
    }
  }

  private challengeOf(response: ExchangeResponse, request: DigestRequest): DigestChallenge {
    const challenge = parseDigestChallenge(response.headersDistinct['www-authenticate'] ?? []);
    if (!challenge) {
      throw new DriverError(
        'protocol',
        `The device asked for credentials (401) without a Digest challenge Loa can answer (MD5 or SHA-256 with qop=auth) for ${request.method} ${request.uri}`,
      );
    }
    return challenge;
  }

  private authorization(request: DigestRequest, challenge: DigestChallenge): string {
    const current = this.sessions.get(request.sessionKey);
    const nonceCount = current?.challenge.nonce === challenge.nonce ? current.nonceCount + 1 : 1;
    this.sessions.delete(request.sessionKey);
    // A Map keeps insertion order: re-inserting marks the session recent, and the oldest goes first.
    this.sessions.set(request.sessionKey, { challenge, nonceCount });
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    return digestAuthorization({
      challenge,
      method: request.method,
      uri: request.uri,
      username: request.credentials.username,
      password: request.credentials.password,
      nonceCount,
      cnonce: randomBytes(12).toString('hex'),
    });
  }
}
