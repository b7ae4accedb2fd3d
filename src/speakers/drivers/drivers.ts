import { AxisVapixDriver } from './axis-vapix/axis-vapix.driver';
import { HttpGatewayDriver } from './http-gateway/http-gateway.driver';
import { ManualDriver } from './manual.driver';
import { DRIVER_NAMES, DriverLimits, DriverName, SpeakerDriver } from './speaker-driver';

export interface SpeakerDriverOptions {
  limits?: Partial<DriverLimits>;
  /** 1 for real speakers; an emulator's time scale when Loa drives emulators (tests, demo). */
  deviceTimeScale?: number;
}

/** Every driver Loa has, by the name stored on each speaker. */
export class SpeakerDriverRegistry {
  private readonly drivers: ReadonlyMap<DriverName, SpeakerDriver>;

  constructor(drivers: SpeakerDriver[]) {
    this.drivers = new Map(drivers.map((driver) => [driver.name, driver]));
  }

  static create(options: SpeakerDriverOptions = {}): SpeakerDriverRegistry {
    const timed = { ...options.limits, ...(options.deviceTimeScale ? { deviceTimeScale: options.deviceTimeScale } : {}) };
    return new SpeakerDriverRegistry([new AxisVapixDriver(timed), new HttpGatewayDriver(timed), new ManualDriver()]);
  }

  static isDriverName(name: string): name is DriverName {
    return (DRIVER_NAMES as readonly string[]).includes(name);
  }

  get names(): DriverName[] {
    return [...this.drivers.keys()];
  }

  get(name: DriverName): SpeakerDriver {
    const driver = this.drivers.get(name);
    if (!driver) throw new Error(`No speaker driver named ${name}`);
    return driver;
  }
}
