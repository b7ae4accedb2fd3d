import { IsString, Length, Matches } from 'class-validator';
import { IsDeviceBaseUrl } from '../base-url';

export class AxisVapixSettings {
  @IsDeviceBaseUrl('http://10.0.0.5')
  url: string;
}

export class AxisVapixSecrets {
  // A colon would make the Digest hash ambiguous; quotes and backslashes are not sent reliably by devices.
  @Matches(/^(?!.*[:"\\])[\x21-\x7e]{1,64}$/, {
    message: 'username must be 1 to 64 printable ASCII characters, without a colon, a quote or a backslash',
  })
  username: string;

  @IsString({ message: 'password must be a string' })
  @Length(1, 256, { message: 'password must be 1 to 256 characters' })
  password: string;
}
