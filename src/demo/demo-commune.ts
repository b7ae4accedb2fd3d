import { Role } from '../auth/role';

/** The demo commune: Việt An and some of its villages, with one account per kind of user. */
export const DEMO_COMMUNE = { name: 'Xã Việt An', timezone: 'Asia/Ho_Chi_Minh' };

export const DEMO_VILLAGES = ['Thôn Phú Mỹ', 'Thôn Tân Phong', 'Thôn Hà Lam', 'Thôn An Tây'];

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  /** For operators: the villages (by name) they look after. */
  villages?: string[];
}

/** Fixed so they stay valid across restarts of the demo; never use these outside a demo. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'quantri', displayName: 'Quản trị hệ thống', role: Role.Admin, password: 'Hethong-VietAn-26' },
  { username: 'vanhoa', displayName: 'Phòng Văn hóa - Xã hội', role: Role.Editor, password: 'Bantin-VietAn-26' },
  { username: 'lanhdao', displayName: 'Lãnh đạo UBND xã', role: Role.Approver, password: 'Pheduyet-VietAn-26' },
  { username: 'phumy', displayName: 'Tổ công nghệ số thôn Phú Mỹ', role: Role.Operator, password: 'Loaphat-Thon1-26', villages: ['Thôn Phú Mỹ'] },
  { username: 'tanphong', displayName: 'Trưởng thôn Tân Phong', role: Role.Operator, password: 'Loaphat-Thon2-26', villages: ['Thôn Tân Phong'] },
  // An Tây's wired cluster has no device to report back: its operator's confirmation is the proof of play.
  { username: 'antay', displayName: 'Tổ công nghệ số thôn An Tây', role: Role.Operator, password: 'Loaphat-Thon4-26', villages: ['Thôn An Tây'] },
  { username: 'theodoi', displayName: 'Cán bộ theo dõi', role: Role.Viewer, password: 'Baocao-VietAn-26' },
];

export interface DemoSpeaker {
  village: string;
  name: string;
  /** Emulated Axis speakers answer over HTTP; a manual cluster (wired/FM) is confirmed by its operator. */
  driver: 'axis-vapix' | 'manual';
  tags: string[];
}

/** Two emulated IP speakers per village, and one legacy wired cluster. */
export const DEMO_SPEAKERS: DemoSpeaker[] = [
  ...DEMO_VILLAGES.flatMap((village): DemoSpeaker[] => [
    { village, name: 'Loa nhà văn hóa', driver: 'axis-vapix', tags: [] },
    { village, name: 'Loa ngã ba', driver: 'axis-vapix', tags: village === 'Thôn Hà Lam' ? ['ven sông'] : [] },
  ]),
  { village: 'Thôn An Tây', name: 'Cụm loa dây (FM cũ)', driver: 'manual', tags: [] },
];

/** The password the emulated Axis speakers accept; the demo stores it encrypted like a real one. */
export const DEMO_SPEAKER_PASSWORD = 'Loa-emulator-2026';
