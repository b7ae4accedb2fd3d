import { DriverError } from '../driver-error';
import { ExchangeResponse } from '../http-exchange';
import { parseChallenges } from './digest-auth';
import { DigestClient, DigestRequest } from './digest-client';

function response(status: number, wwwAuthenticate: string[] = []): ExchangeResponse {
  return { status, headers: {}, headersDistinct: wwwAuthenticate.length ? { 'www-authenticate': wwwAuthenticate } : {}, body: Buffer.alloc(0), bodyBytesSent: 0 };
}

function challenge(nonce: string, stale = false): ExchangeResponse {
  return response(401, [`Digest realm="AXIS_1", nonce="${nonce}", algorithm=MD5, qop="auth"${stale ? ', stale=TRUE' : ''}`]);
}

/** The nonce and nonce count an Authorization value answers. */
function answered(authorization: string | null): { nonce: string; nc: string } | null {
  if (authorization === null) return null;
  const { params } = parseChallenges(authorization)[0];
  return { nonce: params.get('nonce')!, nc: params.get('nc')! };
}

/** A scripted device: answers each send in turn and remembers what was sent. */
function device(...answers: ExchangeResponse[]) {
  const sent: (string | null)[] = [];
  const send = jest.fn(async (authorization: string | null) => {
    sent.push(authorization);
    const next = answers.shift();
    if (!next) throw new Error('the script has no more answers');
    return next;
  });
  return { send, sent };
}

function request(send: DigestRequest['send'], probe?: DigestRequest['probe']): DigestRequest {
  return {
    sessionKey: 'http://10.0.0.5|root',
    credentials: { username: 'root', password: 'Tr0ub4dor&3' },
    method: 'POST',
    uri: '/axis-cgi/audio/transmit.cgi',
    send,
    probe,
  };
}

describe('DigestClient', () => {
  it('answers the first challenge and returns the device answer', async () => {
    const speaker = device(challenge('n1'), response(200));
    const result = await new DigestClient().request(request(speaker.send));
    expect(result.status).toBe(200);
    expect(speaker.sent.map(answered)).toEqual([null, { nonce: 'n1', nc: '00000001' }]);
  });

  it('turns a refused password into an auth error after exactly one challenge round', async () => {
    const speaker = device(challenge('n1'), challenge('n2'), response(200));
    const failure = await new DigestClient().request(request(speaker.send)).catch((error) => error);
    expect(failure).toBeInstanceOf(DriverError);
    expect(failure.kind).toBe('auth');
    expect(failure.message).toMatch(/root was refused.*check the username and password/);
    expect(speaker.send).toHaveBeenCalledTimes(2);
  });

  it('never puts the password in the error', async () => {
    const speaker = device(challenge('n1'), challenge('n2'));
    const failure = await new DigestClient().request(request(speaker.send)).catch((error) => error);
    expect(failure.message).not.toContain('Tr0ub4dor');
  });

  it('reuses the nonce on the next request with the next nonce count, without a new challenge', async () => {
    const client = new DigestClient();
    const first = device(challenge('n1'), response(200));
    await client.request(request(first.send));
    const second = device(response(200));
    await client.request(request(second.send));
    expect(second.sent.map(answered)).toEqual([{ nonce: 'n1', nc: '00000002' }]);
  });

  it('renews a stale nonce once, then gives up with an auth error', async () => {
    const client = new DigestClient();
    await client.request(request(device(challenge('n1'), response(200)).send));
    const renewed = device(challenge('n2', true), response(200));
    expect((await client.request(request(renewed.send))).status).toBe(200);
    expect(renewed.sent.map(answered)).toEqual([
      { nonce: 'n1', nc: '00000002' },
      { nonce: 'n2', nc: '00000001' },
    ]);

    const looping = device(challenge('n3', true), challenge('n4', true), challenge('n5', true), response(200));
    await expect(client.request(request(looping.send))).rejects.toMatchObject({ kind: 'auth' });
    expect(looping.send).toHaveBeenCalledTimes(3);
  });

  it('answers a fresh challenge once when a reused nonce is refused, and forgets the session after a refusal', async () => {
    const client = new DigestClient();
    await client.request(request(device(challenge('n1'), response(200)).send));
    const changed = device(challenge('n2'), challenge('n3'));
    await expect(client.request(request(changed.send))).rejects.toMatchObject({ kind: 'auth' });
    expect(changed.sent.map(answered)).toEqual([
      { nonce: 'n1', nc: '00000002' },
      { nonce: 'n2', nc: '00000001' },
    ]);

    const after = device(challenge('n4'), response(200));
    await client.request(request(after.send));
    expect(after.sent[0]).toBeNull();
  });

  it('fetches the challenge with the probe so the body is sent only with credentials', async () => {
    const probe = jest.fn(async () => challenge('p1'));
    const speaker = device(response(200));
    const client = new DigestClient();
    await client.request(request(speaker.send, probe));
    expect(probe).toHaveBeenCalledTimes(1);
    expect(speaker.sent.map(answered)).toEqual([{ nonce: 'p1', nc: '00000001' }]);

    await client.request(request(device(response(200)).send, probe));
    expect(probe).toHaveBeenCalledTimes(1);
  });

  it('counts the probe as the challenge round: a wrong password costs the probe and one answer', async () => {
    const speaker = device(challenge('n2'));
    await expect(new DigestClient().request(request(speaker.send, async () => challenge('p1')))).rejects.toMatchObject({ kind: 'auth' });
    expect(speaker.send).toHaveBeenCalledTimes(1);
  });

  it('returns a busy probe answer without sending the body', async () => {
    const speaker = device(response(200));
    const result = await new DigestClient().request(request(speaker.send, async () => response(503)));
    expect(result.status).toBe(503);
    expect(speaker.send).not.toHaveBeenCalled();
  });

  it('sends without credentials when the probe shows the device asks for none', async () => {
    const speaker = device(response(200));
    await new DigestClient().request(request(speaker.send, async () => response(200)));
    expect(speaker.sent).toEqual([null]);
  });

  it('calls a 401 without a usable Digest challenge a protocol error', async () => {
    const speaker = device(response(401, ['Basic realm="x"']));
    await expect(new DigestClient().request(request(speaker.send))).rejects.toMatchObject({ kind: 'protocol' });
  });

  it('keeps separate nonces and counts per device and account', async () => {
    const client = new DigestClient();
    await client.request(request(device(challenge('a1'), response(200)).send));
    const other = device(challenge('b1'), response(200));
    await client.request({ ...request(other.send), sessionKey: 'http://10.0.0.6|root' });
    expect(other.sent.map(answered)).toEqual([null, { nonce: 'b1', nc: '00000001' }]);
  });
});
