import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class RejectBulletinDto {
  @ApiProperty({ example: 'Sai số liệu ở đoạn 2, đề nghị thu âm lại' })
  @IsString()
  @Length(3, 1000, { message: 'reason must say, in 3 to 1000 characters, why the bulletin is rejected' })
  reason: string;
}
