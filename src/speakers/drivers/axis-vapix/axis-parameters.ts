/** Reading what `param.cgi?action=list` answers: one `root.Group.Name=value` per line. */

const PARAMETER_LINE = /^(root(?:\.[A-Za-z0-9_]+)+)=(.*)$/;
const MAX_PARAMETERS = 500;

export type ParameterList = { ok: true; parameters: Map<string, string> } | { ok: false; problem: string };

/** Parameters under `root.<group>.`; anything else in the answer (an error line, HTML) makes it unbelievable. */
export function parseParameterList(text: string, group: string): ParameterList {
  const prefix = `root.${group}.`;
  const parameters = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    if (line.startsWith('# Error:')) return { ok: false, problem: `the device reported "${line.slice(2, 120)}"` };
    const match = PARAMETER_LINE.exec(line);
    if (!match || !match[1].startsWith(prefix)) return { ok: false, problem: `the answer is not a list of ${prefix}… parameters` };
    if (parameters.size >= MAX_PARAMETERS) return { ok: false, problem: `the answer lists more than ${MAX_PARAMETERS} parameters` };
    parameters.set(match[1], match[2]);
  }
  if (parameters.size === 0) return { ok: false, problem: `the answer lists no ${prefix}… parameters` };
  return { ok: true, parameters };
}

export interface AudioCapability {
  ready: boolean;
  detail: string;
}

/** Whether an Axis device with these `Properties.Audio` parameters can play G.711 µ-law sent to transmit.cgi. */
export function audioCapability(parameters: Map<string, string>): AudioCapability {
  const audio = parameters.get('root.Properties.Audio.Audio');
  if (audio !== 'yes') return { ready: false, detail: `audio is not available on the device (Properties.Audio.Audio=${audio ?? 'missing'})` };
  const decoders = parameters.get('root.Properties.Audio.Decoder.Format');
  if (decoders !== undefined && !decoders.split(',').includes('g711')) {
    return { ready: false, detail: `the device cannot decode G.711 (decoders: ${decoders})` };
  }
  const duplex = parameters.get('root.Properties.Audio.DuplexMode');
  if (duplex !== undefined && !duplex.split(',').includes('post')) {
    return { ready: false, detail: `the device does not accept audio posted to it (duplex modes: ${duplex})` };
  }
  return { ready: true, detail: `audio ready${decoders ? ` (decoders: ${decoders})` : ''}` };
}
