import { printable, summarizeDevice } from './device-summary';

describe('printable', () => {
  it('turns control and bidi characters into spaces and keeps Vietnamese text', () => {
    expect(printable('Loa\r\n  thôn\u0000 3\u202e đã phát')).toBe('Loa thôn 3 đã phát');
  });

  it('cuts long text to 200 characters with an ellipsis', () => {
    const text = printable('x'.repeat(1000));
    expect(text).toHaveLength(200);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('summarizeDevice', () => {
  it('keeps numbers, booleans, null and short text, and drops undefined', () => {
    expect(summarizeDevice({ status: 200, accepted: true, server: null, answer: 'ok\n', missing: undefined, infinite: Infinity })).toEqual({
      status: 200,
      accepted: true,
      server: null,
      answer: 'ok',
      infinite: null,
    });
  });

  it('keeps at most 16 fields, so a chatty device cannot grow the record', () => {
    const fields = Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`f${index}`, index]));
    expect(Object.keys(summarizeDevice(fields))).toHaveLength(16);
  });

  it('is JSON-safe', () => {
    const summary = summarizeDevice({ big: 10n, text: 'a'.repeat(500) });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });
});
