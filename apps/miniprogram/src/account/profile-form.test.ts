import type { MyProfile } from '@member-hub/shared';
import { draftFromProfile, profileChanges, validationMessages } from './profile-form';

const base: MyProfile = {
  memberId: 'm1',
  memberNo: '10000001',
  nickname: '小王',
  avatarUrl: null,
  birthday: null,
  birthdayLocked: false,
  gender: 'unknown',
  region: { province: '广东省', city: '深圳市', district: '南山区' },
  phone: null,
};

describe('profileChanges', () => {
  it('is empty when nothing changed', () => {
    expect(profileChanges(base, draftFromProfile(base))).toEqual({});
  });

  it('sends only the changed fields, trimmed', () => {
    const draft = { ...draftFromProfile(base), nickname: ' 小李 ', gender: 'female' as const, birthday: '1990-05-01' };
    expect(profileChanges(base, draft)).toEqual({ nickname: '小李', gender: 'female', birthday: '1990-05-01' });
  });

  it('sends the whole region when any part of it changed', () => {
    const draft = { ...draftFromProfile(base), district: '福田区' };
    expect(profileChanges(base, draft)).toEqual({ region: { province: '广东省', city: '深圳市', district: '福田区' } });
  });

  it('never sends a locked birthday', () => {
    const locked = { ...base, birthday: '1990-05-01', birthdayLocked: true };
    expect(profileChanges(locked, { ...draftFromProfile(locked), birthday: '1991-01-01' })).toEqual({});
  });

  it('treats an emptied field as unchanged (the API cannot clear it)', () => {
    expect(profileChanges(base, { ...draftFromProfile(base), nickname: '  ', province: '' })).toEqual({});
  });
});

describe('validationMessages', () => {
  it('maps the server details to form fields', () => {
    expect(
      validationMessages([
        { path: 'nickname', code: 'too_big', message: '昵称最多 20 个字' },
        { path: 'region.province', code: 'too_small', message: '请填写省份' },
        { path: '', code: 'custom', message: '至少修改一项' },
        { nonsense: true },
      ]),
    ).toEqual([
      { field: 'nickname', message: '昵称最多 20 个字' },
      { field: 'region', message: '请填写省份' },
      { field: '', message: '至少修改一项' },
    ]);
    expect(validationMessages(undefined)).toEqual([]);
  });
});
