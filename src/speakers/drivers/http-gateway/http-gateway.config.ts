import { IsString, Length } from 'class-validator';
import { IsDeviceBaseUrl } from '../base-url';

export class HttpGatewaySettings {
  @IsDeviceBaseUrl('https://gateway.example.vn/loa')
  url: string;
}

export class HttpGatewaySecrets {
  /** The HMAC key shared with the gateway; long enough that it cannot be guessed from signatures. */
  @IsString({ message: 'key must be a string' })
  @Length(32, 512, { message: 'key must be 32 to 512 characters' })
  key: string;
}
