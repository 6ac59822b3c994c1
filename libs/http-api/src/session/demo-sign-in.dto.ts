import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { DEMO_USER_IDS } from './demo-users';

export class DemoSignInDto {
  @ApiProperty({ enum: DEMO_USER_IDS, description: 'One of the demo users (LEDGER_DEMO_USERS=on only)' })
  @IsString()
  @IsIn(DEMO_USER_IDS)
  readonly user!: string;
}
