/** Who a person is in the commune's organisation; decides what Loa lets them do. */
export enum Role {
  /** IT admin: everything, every commune. */
  Admin = 'admin',
  /** Culture office: bulletins, schedules, emergency broadcasts of its communes. */
  Editor = 'editor',
  /** Leadership (UBND xã): approves bulletins, reads every report of its communes. */
  Approver = 'approver',
  /** Village operator: its villages' playbacks and confirmations. */
  Operator = 'operator',
  /** Reads reports, changes nothing. */
  Viewer = 'viewer',
}

export const ROLES = Object.values(Role);

/** Roles scoped to communes; operators are scoped to villages and admins to nothing. */
export const COMMUNE_SCOPED_ROLES: readonly Role[] = [Role.Editor, Role.Approver, Role.Viewer];
