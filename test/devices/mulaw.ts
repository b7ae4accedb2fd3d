/**
 * G.711 µ-law as the device model hears it (ITU-T G.711; VAPIX `audio/basic`: 8 kHz, mono, one byte a sample),
 * written from the standard, not from Loa's code.
 */

export const MULAW_SAMPLES_PER_SECOND = 8_000;

/** Milliseconds of audio in `bytes` of µ-law. */
export function mulawMs(bytes: number): number {
  return (bytes * 1000) / MULAW_SAMPLES_PER_SECOND;
}

/** One µ-law byte as a linear sample on the 16-bit scale (G.711 table 2: bits inverted, sign, 3-bit exponent, 4-bit mantissa). */
export function mulawSample(byte: number): number {
  const code = ~byte & 0xff;
  const exponent = (code >> 4) & 0x07;
  const magnitude = (((code & 0x0f) << 3) + 0x84) << exponent;
  return code & 0x80 ? 0x84 - magnitude : magnitude - 0x84;
}

/** The loudest sample of the audio, in dB below full scale (-Infinity for digital silence). */
export function peakDbfs(audio: Buffer): number {
  let peak = 0;
  for (let index = 0; index < audio.length; index++) {
    const sample = Math.abs(mulawSample(audio[index]));
    if (sample > peak) peak = sample;
  }
  return peak === 0 ? -Infinity : 20 * Math.log10(peak / 32_124);
}
