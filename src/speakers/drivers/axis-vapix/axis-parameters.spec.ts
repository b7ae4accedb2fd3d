import { audioCapability, parseParameterList } from './axis-parameters';

const SPEAKER = [
  'root.Properties.Audio.Audio=yes',
  'root.Properties.Audio.DuplexMode=half,post,get',
  'root.Properties.Audio.Format=lpcm,g711,g726,aac,opus',
  'root.Properties.Audio.Decoder.Format=g711,g726,axis-mulaw-128',
  'root.Properties.Audio.Source.A0.Output=yes',
].join('\r\n');

function parameters(text: string): Map<string, string> {
  const list = parseParameterList(text, 'Properties.Audio');
  if (!list.ok) throw new Error(list.problem);
  return list.parameters;
}

describe('parseParameterList', () => {
  it('reads an Axis speaker answer, CRLF or LF, ignoring blank lines', () => {
    const list = parameters(`${SPEAKER}\r\n\r\n`);
    expect(list.get('root.Properties.Audio.Audio')).toBe('yes');
    expect(list.get('root.Properties.Audio.Decoder.Format')).toBe('g711,g726,axis-mulaw-128');
    expect(list.size).toBe(5);
  });

  it.each([
    ['an HTML page', '<html><body>Router login</body></html>'],
    ['an empty answer', '\n\n'],
    ['parameters of another group', 'root.Brand.ProdNbr=C1310-E'],
    ['a line that is not name=value', 'root.Properties.Audio.Audio=yes\nhello'],
  ])('does not believe %s', (_case, text) => {
    expect(parseParameterList(text, 'Properties.Audio').ok).toBe(false);
  });

  it("passes on the device's own error line", () => {
    const list = parseParameterList("# Error: Error -1 getting param in group 'Properties.Audio'\n", 'Properties.Audio');
    expect(list).toEqual({ ok: false, problem: `the device reported "Error: Error -1 getting param in group 'Properties.Audio'"` });
  });

  it('refuses an answer that never ends', () => {
    const flood = Array.from({ length: 501 }, (_, index) => `root.Properties.Audio.P${index}=x`).join('\n');
    expect(parseParameterList(flood, 'Properties.Audio')).toMatchObject({ ok: false, problem: expect.stringMatching(/more than 500/) });
  });
});

describe('audioCapability', () => {
  it('is ready when audio is on and G.711 can be posted', () => {
    expect(audioCapability(parameters(SPEAKER))).toEqual({ ready: true, detail: 'audio ready (decoders: g711,g726,axis-mulaw-128)' });
  });

  it('is not ready when the device has audio switched off', () => {
    expect(audioCapability(parameters(SPEAKER.replace('Audio.Audio=yes', 'Audio.Audio=no')))).toMatchObject({
      ready: false,
      detail: expect.stringMatching(/Audio=no/),
    });
  });

  it('is not ready when the device cannot decode G.711', () => {
    const text = SPEAKER.replace('Decoder.Format=g711,g726,axis-mulaw-128', 'Decoder.Format=aac');
    expect(audioCapability(parameters(text))).toMatchObject({ ready: false, detail: expect.stringMatching(/cannot decode G.711/) });
  });

  it('is not ready when the device does not take posted audio', () => {
    const text = SPEAKER.replace('DuplexMode=half,post,get', 'DuplexMode=get');
    expect(audioCapability(parameters(text))).toMatchObject({ ready: false, detail: expect.stringMatching(/posted/) });
  });

  it('accepts older firmware that does not list decoders or duplex modes', () => {
    expect(audioCapability(parameters('root.Properties.Audio.Audio=yes'))).toEqual({ ready: true, detail: 'audio ready' });
  });
});
