import { AxisVapixDriver } from './axis-vapix/axis-vapix.driver';
import { SpeakerDriverRegistry } from './drivers';
import { HttpGatewayDriver } from './http-gateway/http-gateway.driver';
import { ManualDriver } from './manual.driver';
import { DRIVER_NAMES } from './speaker-driver';

describe('SpeakerDriverRegistry', () => {
  const registry = SpeakerDriverRegistry.create();

  it('has one driver per name a speaker can store', () => {
    expect(registry.names.sort()).toEqual([...DRIVER_NAMES].sort());
    expect(registry.get('axis-vapix')).toBeInstanceOf(AxisVapixDriver);
    expect(registry.get('http-gateway')).toBeInstanceOf(HttpGatewayDriver);
    expect(registry.get('manual')).toBeInstanceOf(ManualDriver);
  });

  it('knows which audio each driver sends', () => {
    expect(registry.get('axis-vapix').audioFormat).toBe('mulaw');
    expect(registry.get('http-gateway').audioFormat).toBe('mp3');
    expect(registry.get('manual').audioFormat).toBeNull();
  });

  it('tells driver names from anything else', () => {
    expect(SpeakerDriverRegistry.isDriverName('axis-vapix')).toBe(true);
    expect(SpeakerDriverRegistry.isDriverName('icecast')).toBe(false);
    expect(() => registry.get('icecast' as never)).toThrow('No speaker driver named icecast');
  });
});
