import { mulawMs, mulawSample, peakDbfs } from './mulaw';

/** The device model's µ-law hearing, held to G.711's table (decoded to the 16-bit scale). */
describe('the device model hears G.711 µ-law', () => {
  it('counts one byte a sample at 8 kHz', () => {
    expect(mulawMs(8_000)).toBe(1_000);
    expect(mulawMs(40_000)).toBe(5_000);
  });

  it('decodes the ends and the middle of the G.711 table', () => {
    expect([0xff, 0x7f].map(mulawSample)).toEqual([0, 0]);
    expect(mulawSample(0x80)).toBe(32_124);
    expect(mulawSample(0x00)).toBe(-32_124);
    // The first segment's steps are 8 apart on the 16-bit scale; the sign bit mirrors them.
    expect([0xfe, 0xf0, 0x7e, 0x70].map(mulawSample)).toEqual([8, 120, -8, -120]);
  });

  it('hears digital silence as silence and a full-scale byte as 0 dBFS', () => {
    expect(peakDbfs(Buffer.alloc(800, 0xff))).toBe(-Infinity);
    expect(peakDbfs(Buffer.from([0xff, 0x80, 0xff]))).toBeCloseTo(0, 5);
  });
});
