/** The signed-in account, kept in localStorage so a reload keeps the session until the token expires. */
export type Role = 'admin' | 'editor' | 'approver' | 'operator' | 'viewer';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  communeIds: string[];
  villageIds: string[];
}

const TOKEN_KEY = 'loa.token';
const USER_KEY = 'loa.user';

export const session = {
  token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  user(): Me | null {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  },
  save(token: string, user: Me): void {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear(): void {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
  },
};
