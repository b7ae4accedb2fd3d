import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Role } from '../auth/role';

/** An account. The password hash never leaves the server: the API answers with `UserView`. */
@Entity({ name: 'users' })
@Check('CHK_users_role', `"role" IN ('admin', 'editor', 'approver', 'operator', 'viewer')`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-case; unique. */
  @Column({ type: 'text', unique: true })
  username: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  /** Raised on logout-all, password change and disabling: every token carrying an older version stops working. */
  @Column({ name: 'token_version', type: 'integer', default: 1 })
  tokenVersion: number;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** Communes an editor, approver or viewer works for. */
  @Column({ name: 'commune_ids', type: 'uuid', array: true, default: () => "'{}'" })
  communeIds: string[];

  /** Villages an operator looks after. */
  @Column({ name: 'village_ids', type: 'uuid', array: true, default: () => "'{}'" })
  villageIds: string[];

  @Column({ name: 'password_changed_at', type: 'timestamptz', default: () => 'now()' })
  passwordChangedAt: Date;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
