import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import type { Department, Role } from '@shouwang/domain';
import type { Identity } from '@shouwang/kit';
import { hashPassword } from './passwords';

export interface UserDoc {
  _id: string;
  username: string;
  displayName: string;
  role: Role;
  areaCode: string;
  department: Department | null;
  passwordHash: string;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type PublicUser = Omit<UserDoc, '_id' | 'passwordHash'> & { id: string };

export function publicUser(u: UserDoc): PublicUser {
  const { _id, passwordHash, ...rest } = u;
  void passwordHash;
  return { id: _id, ...rest };
}

export function identityOf(u: UserDoc): Identity {
  return { userId: u._id, username: u.username, role: u.role, areaCode: u.areaCode, department: u.department };
}

/** Users and their roles (the gateway's own database). */
export class UserStore {
  private constructor(readonly coll: Collection<UserDoc>) {}

  static async open(conn: Connection): Promise<UserStore> {
    const coll = conn.collection<UserDoc>('users');
    await coll.createIndex({ username: 1 }, { unique: true });
    await coll.createIndex({ areaCode: 1 });
    return new UserStore(coll);
  }

  byUsername(username: string): Promise<UserDoc | null> {
    return this.coll.findOne({ username });
  }

  byId(id: string): Promise<UserDoc | null> {
    return this.coll.findOne({ _id: id });
  }

  /** Returns null when the username is taken. */
  async create(
    u: Omit<UserDoc, '_id' | 'passwordHash' | 'createdAt' | 'updatedAt' | 'disabled'> & { password: string },
  ): Promise<UserDoc | null> {
    const now = new Date();
    const { password, ...fields } = u;
    const doc: UserDoc = {
      ...fields,
      _id: randomUUID(),
      passwordHash: await hashPassword(password),
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.coll.insertOne(doc);
      return doc;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return null;
      throw err;
    }
  }

  async update(id: string, set: Partial<Omit<UserDoc, '_id' | 'createdAt'>>): Promise<UserDoc | null> {
    return this.coll.findOneAndUpdate(
      { _id: id },
      { $set: { ...set, updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
  }

  async list(filter: { role?: Role; areaCode?: string }, page: { limit: number; offset: number }) {
    const q: Record<string, unknown> = {};
    if (filter.role) q.role = filter.role;
    if (filter.areaCode) q.areaCode = filter.areaCode;
    const [items, total] = await Promise.all([
      this.coll.find(q).sort({ username: 1 }).skip(page.offset).limit(page.limit).toArray(),
      this.coll.countDocuments(q),
    ]);
    return { items, total };
  }
}

/** Demo users, one per role in the demo county 于都县 (360731); README lists them. */
export const DEMO_PASSWORD = 'Shouwang-demo-2026';
export const DEMO_USERS: {
  username: string;
  displayName: string;
  role: Role;
  areaCode: string;
  department: Department | null;
}[] = [
  { username: 'admin', displayName: '市管理员', role: 'city_admin', areaCode: '3607', department: null },
  {
    username: 'county.yudu',
    displayName: '于都县扶贫办',
    role: 'county_officer',
    areaCode: '360731',
    department: null,
  },
  {
    username: 'township.yudu',
    displayName: '于都乡镇干部',
    role: 'township_officer',
    areaCode: '360731101',
    department: null,
  },
  {
    username: 'cadre.yudu',
    displayName: '于都村干部',
    role: 'village_cadre',
    areaCode: '360731101201',
    department: null,
  },
  {
    username: 'dept.health',
    displayName: '于都县卫健委',
    role: 'department_officer',
    areaCode: '360731',
    department: 'health',
  },
  { username: 'auditor', displayName: '市审计督导', role: 'auditor', areaCode: '3607', department: null },
  // Department officers who post their department's feed (部门预警筛查).
  {
    username: 'dept.education',
    displayName: '于都县教育局',
    role: 'department_officer',
    areaCode: '360731',
    department: 'education',
  },
  {
    username: 'dept.public_security',
    displayName: '于都县公安局',
    role: 'department_officer',
    areaCode: '360731',
    department: 'public_security',
  },
];

/** Creates the demo users that do not exist yet (existing ones, and their passwords, are left alone). */
export async function seedDemoUsers(store: UserStore): Promise<number> {
  let created = 0;
  for (const u of DEMO_USERS) {
    if (await store.byUsername(u.username)) continue;
    if (await store.create({ ...u, password: DEMO_PASSWORD })) created++;
  }
  return created;
}
