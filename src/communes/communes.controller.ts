import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role, ROLES } from '../auth/role';
import { CommunesService } from './communes.service';
import { CreateCommuneDto, CreateVillageDto, ListCommunesDto, ListVillagesDto, UpdateCommuneDto, UpdateVillageDto } from './dto/commune.dto';

@ApiTags('communes')
@ApiBearerAuth()
@Controller('communes')
export class CommunesController {
  constructor(private readonly communes: CommunesService) {}

  @Post()
  @Allow(Role.Admin)
  create(@Body() dto: CreateCommuneDto) {
    return this.communes.createCommune(dto);
  }

  @Get()
  @Allow(...ROLES)
  @ApiOperation({ summary: 'The communes in my scope' })
  list(@Query() paging: ListCommunesDto, @CurrentUser() caller: AuthUser) {
    return this.communes.listCommunes(paging, caller);
  }

  @Get(':id')
  @Allow(...ROLES)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.communes.getCommune(id, caller);
  }

  @Patch(':id')
  @Allow(Role.Admin)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCommuneDto, @CurrentUser() caller: AuthUser) {
    return this.communes.updateCommune(id, dto, caller);
  }
}

@ApiTags('villages')
@ApiBearerAuth()
@Controller('villages')
export class VillagesController {
  constructor(private readonly communes: CommunesService) {}

  @Post()
  @Allow(Role.Admin)
  create(@Body() dto: CreateVillageDto, @CurrentUser() caller: AuthUser) {
    return this.communes.createVillage(dto, caller);
  }

  @Get()
  @Allow(...ROLES)
  @ApiOperation({ summary: 'The villages in my scope' })
  list(@Query() filter: ListVillagesDto, @CurrentUser() caller: AuthUser) {
    return this.communes.listVillages(filter, caller);
  }

  @Get(':id')
  @Allow(...ROLES)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.communes.getVillage(id, caller);
  }

  @Patch(':id')
  @Allow(Role.Admin)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateVillageDto, @CurrentUser() caller: AuthUser) {
    return this.communes.updateVillage(id, dto, caller);
  }
}
