import { CHIME_MS } from '../schedules/program';

/** One struck note of the chime: a sine that rises in a few milliseconds and dies away like a bell. */
export interface ChimeNote {
  atMs: number;
  frequencyHz: number;
  /** Exponential decay rate of its envelope, per second: larger dies away sooner. */
  decayPerSecond: number;
}

/** C5 E5 G5 then C6 held: a rising major arpeggio, the familiar "attention please" of public address. */
export const CHIME_NOTES: readonly ChimeNote[] = [
  { atMs: 0, frequencyHz: 523.25, decayPerSecond: 3 },
  { atMs: 450, frequencyHz: 659.25, decayPerSecond: 3 },
  { atMs: 900, frequencyHz: 783.99, decayPerSecond: 3 },
  { atMs: 1350, frequencyHz: 1046.5, decayPerSecond: 1.1 },
];

/**
 * Length of the synthesised chime: a little under CHIME_MS, which the session cap counts, so that the MP3
 * rendition (the encoder adds a few milliseconds of padding) never outlasts it.
 */
export const CHIME_SOURCE_MS = CHIME_MS - 100;

/** Attack rate of each note's envelope, per second: about 10 ms to full level, so no note starts with a click. */
const ATTACK_PER_SECOND = 300;

/**
 * The chime as one lavfi `aevalsrc` source: the sum of its notes, each `sin(2πf·τ)·e^(-dτ)·(1 - e^(-aτ))` from its
 * start τ = t - at. The last note still rings at the end (about -30 dB), so the loudness pipeline finds no
 * trailing silence to trim and the duration stays what it is. Its level is set later, by loudness normalisation.
 */
export function chimeGraph(notes: readonly ChimeNote[] = CHIME_NOTES, durationMs = CHIME_SOURCE_MS, sampleRate = 44100): string {
  const terms = notes.map(({ atMs, frequencyHz, decayPerSecond }) => {
    const tau = `(t-${atMs / 1000})`;
    return `if(gte(t\\,${atMs / 1000})\\,sin(2*PI*${frequencyHz}*${tau})*exp(-${decayPerSecond}*${tau})*(1-exp(-${ATTACK_PER_SECOND}*${tau}))\\,0)`;
  });
  return `aevalsrc='0.25*(${terms.join('+')})':s=${sampleRate}:d=${durationMs / 1000}`;
}
