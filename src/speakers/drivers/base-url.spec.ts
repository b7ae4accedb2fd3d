import { deviceUrl } from './base-url';

describe('deviceUrl', () => {
  it('appends a path to a base URL with or without a trailing slash', () => {
    expect(deviceUrl('http://10.0.0.5', '/axis-cgi/audio/transmit.cgi').href).toBe('http://10.0.0.5/axis-cgi/audio/transmit.cgi');
    expect(deviceUrl('http://10.0.0.5/', '/axis-cgi/audio/transmit.cgi').href).toBe('http://10.0.0.5/axis-cgi/audio/transmit.cgi');
    expect(deviceUrl('https://gw.example.vn/loa/', '/health').href).toBe('https://gw.example.vn/loa/health');
  });

  it('keeps a base path for the gateway play command, which goes to the base URL itself', () => {
    expect(deviceUrl('https://gw.example.vn/loa', '').href).toBe('https://gw.example.vn/loa');
  });
});
