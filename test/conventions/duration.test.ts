import { describe, expect, it } from 'vitest';
import { DurationError, durationSeconds, formatSeconds, parseDuration } from '../../src/conventions/duration.js';

describe('durations', () => {
  it('accepts Prometheus durations and measures them', () => {
    expect(durationSeconds(parseDuration('1h30m'))).toBe(5400);
    expect(durationSeconds(parseDuration('500ms'))).toBe(0.5);
    expect(durationSeconds(parseDuration('30d'))).toBe(2_592_000);
  });

  it.each(['', '5', 'm5', '5 m', '1.5h', '30m1h', '1m1m', '0s', '-1m', '5min'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
  });

  it('formats seconds as the shortest duration', () => {
    expect(formatSeconds(5400)).toBe('1h30m');
    expect(formatSeconds(259_200)).toBe('3d');
    expect(() => formatSeconds(1.5)).toThrow(DurationError);
  });
});
