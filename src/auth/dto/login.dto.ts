import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'bientap.vietan' })
  @IsString()
  @Length(1, 100)
  username: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, 1024)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, 1024)
  currentPassword: string;

  @ApiProperty({ format: 'password', description: '8 to 128 characters, not a commonly used password' })
  @IsString()
  @Length(1, 1024)
  newPassword: string;
}
