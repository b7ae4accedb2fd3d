import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Page, readPage } from '../database/page';
import { PasswordHasher } from '../auth/password-hasher';
import { passwordProblem } from '../auth/password-policy';
import { COMMUNE_SCOPED_ROLES, Role } from '../auth/role';
import { Commune } from '../communes/commune.entity';
import { Village } from '../communes/village.entity';
import { isUniqueViolation } from '../database/query-helpers';
import { CreateUserDto, ListUsersDto, UpdateUserDto } from './dto/user.dto';
import { User } from './user.entity';
import { toUserView, UserView } from './user-view';

interface Assignment {
  role: Role;
  communeIds: string[];
  villageIds: string[];
}

/** Accounts, for admins. Every change that should end a session raises the token version. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Commune) private readonly communes: Repository<Commune>,
    @InjectRepository(Village) private readonly villages: Repository<Village>,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(dto: CreateUserDto): Promise<UserView> {
    const username = dto.username.toLowerCase();
    const problem = passwordProblem(dto.password, username);
    if (problem) throw new BadRequestException(problem);
    const assignment = await this.validAssignment({ role: dto.role, communeIds: dto.communeIds ?? [], villageIds: dto.villageIds ?? [] });
    try {
      const user = await this.users.save(
        this.users.create({ username, displayName: dto.displayName.trim(), ...assignment, passwordHash: await this.hasher.hash(dto.password) }),
      );
      return toUserView(user);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException(`The username "${username}" is taken`);
      }
      throw error;
    }
  }

  list(filter: ListUsersDto): Promise<Page<UserView>> {
    const query = this.users.createQueryBuilder('u');
    if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
    if (filter.communeId) query.andWhere(':communeId = ANY(u.commune_ids)', { communeId: filter.communeId });
    if (filter.villageId) query.andWhere(':villageId = ANY(u.village_ids)', { villageId: filter.villageId });
    return readPage(query.orderBy('u.username', 'ASC'), filter, toUserView);
  }

  async get(id: string): Promise<UserView> {
    return toUserView(await this.find(id));
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserView> {
    const user = await this.find(id);
    const assignment = await this.validAssignment({
      role: dto.role ?? user.role,
      communeIds: dto.communeIds ?? user.communeIds,
      villageIds: dto.villageIds ?? user.villageIds,
    });
    const disabling = dto.disabled === true && !user.disabled;
    const changingRole = assignment.role !== user.role;
    Object.assign(user, assignment, {
      displayName: dto.displayName?.trim() ?? user.displayName,
      disabled: dto.disabled ?? user.disabled,
      // A disabled account, or one whose role changed, must not keep working with an old token.
      tokenVersion: disabling || changingRole ? user.tokenVersion + 1 : user.tokenVersion,
    });
    return toUserView(await this.users.save(user));
  }

  async resetPassword(id: string, password: string): Promise<void> {
    const user = await this.find(id);
    const problem = passwordProblem(password, user.username);
    if (problem) throw new BadRequestException(problem);
    await this.users.update({ id }, { passwordHash: await this.hasher.hash(password), tokenVersion: user.tokenVersion + 1, passwordChangedAt: new Date() });
  }

  /** Username and full name of each account among `ids` that exists, for showing people by name rather than id. */
  async namesOf(ids: string[]): Promise<Map<string, Pick<User, 'username' | 'displayName'>>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const found = await this.users.find({ where: { id: In(wanted) }, select: { id: true, username: true, displayName: true } });
    return new Map(found.map((user) => [user.id, { username: user.username, displayName: user.displayName }]));
  }

  private async find(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundException(`No user has id ${id}`);
    return user;
  }

  /** Admins have no scope; editors, approvers and viewers need communes; operators need villages; all must exist. */
  private async validAssignment(assignment: Assignment): Promise<Assignment> {
    const { role } = assignment;
    const communeIds = [...new Set(assignment.communeIds)];
    const villageIds = [...new Set(assignment.villageIds)];
    if (role === Role.Admin) return { role, communeIds: [], villageIds: [] };
    if (COMMUNE_SCOPED_ROLES.includes(role)) {
      if (communeIds.length === 0) throw new BadRequestException(`A ${role} needs at least one commune in communeIds`);
      if ((await this.communes.countBy({ id: In(communeIds) })) !== communeIds.length) {
        throw new BadRequestException('communeIds names a commune that does not exist');
      }
      return { role, communeIds, villageIds: [] };
    }
    if (villageIds.length === 0) throw new BadRequestException('An operator needs at least one village in villageIds');
    if ((await this.villages.countBy({ id: In(villageIds) })) !== villageIds.length) {
      throw new BadRequestException('villageIds names a village that does not exist');
    }
    return { role, communeIds: [], villageIds };
  }
}
