import type { Gender, MyProfile, Region, UpdateProfileRequest } from '@member-hub/shared';

/** What the profile form edits, as text fields (empty string = not filled in). */
export interface ProfileDraft {
  nickname: string;
  avatarUrl: string;
  birthday: string;
  gender: Gender;
  province: string;
  city: string;
  district: string;
}

export function draftFromProfile(profile: MyProfile): ProfileDraft {
  return {
    nickname: profile.nickname ?? '',
    avatarUrl: profile.avatarUrl ?? '',
    birthday: profile.birthday ?? '',
    gender: profile.gender,
    province: profile.region?.province ?? '',
    city: profile.region?.city ?? '',
    district: profile.region?.district ?? '',
  };
}

/**
 * Only the fields the member changed, trimmed, for `PATCH /me/profile`. Clearing a field is not something the API
 * offers, so an emptied field counts as unchanged; a locked birthday is never sent.
 */
export function profileChanges(profile: MyProfile, draft: ProfileDraft): UpdateProfileRequest {
  const original = draftFromProfile(profile);
  const changes: UpdateProfileRequest = {};
  const nickname = draft.nickname.trim();
  if (nickname && nickname !== original.nickname) changes.nickname = nickname;
  const avatarUrl = draft.avatarUrl.trim();
  if (avatarUrl && avatarUrl !== original.avatarUrl) changes.avatarUrl = avatarUrl;
  if (!profile.birthdayLocked && draft.birthday && draft.birthday !== original.birthday) {
    changes.birthday = draft.birthday;
  }
  if (draft.gender !== original.gender) changes.gender = draft.gender;
  const region: Region = { province: draft.province.trim(), city: draft.city.trim(), district: draft.district.trim() };
  if (
    region.province &&
    (region.province !== original.province || region.city !== original.city || region.district !== original.district)
  ) {
    changes.region = region;
  }
  return changes;
}

export interface FieldError {
  /** The form field ('nickname', 'region'...) or '' when the message is about the whole form. */
  field: string;
  message: string;
}

/** `VALIDATION_FAILED` details (`[{path, message}]`, path like "region.province") as messages per form field. */
export function validationMessages(details: unknown): FieldError[] {
  if (!Array.isArray(details)) return [];
  const out: FieldError[] = [];
  for (const item of details) {
    if (typeof item !== 'object' || item === null) continue;
    const { path, message } = item as { path?: unknown; message?: unknown };
    if (typeof message !== 'string' || !message) continue;
    const first = Array.isArray(path) ? String(path[0] ?? '') : typeof path === 'string' ? path.split('.')[0] : '';
    out.push({ field: first ?? '', message });
  }
  return out;
}

export const GENDER_LABELS: Record<Gender, string> = { unknown: '保密', male: '男', female: '女' };
