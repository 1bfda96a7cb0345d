// Store and staff forms: what the owner typed -> the request body, or the first problem in Chinese.
import { CreateStaffRequest, CreateStoreRequest, UpdateStaffRequest, UpdateStoreRequest } from '@member-hub/shared';
import type { CreateStaffBody, UpdateStaffBody } from '../api/staff';
import type { CreateStoreBody, UpdateStoreBody } from '../api/stores';
import { checkForm, type FormResult } from '../forms';

const STORE_LABELS = { name: '门店名称', code: '门店编码', address: '地址' };
const STAFF_LABELS = { storeId: '门店', name: '姓名', username: '账号', password: '密码', role: '角色' };

export function createStoreForm(input: { name: string; code: string; address: string }): FormResult<CreateStoreBody> {
  return checkForm(CreateStoreRequest, input, STORE_LABELS);
}

export function updateStoreForm(input: { name: string; address: string }): FormResult<UpdateStoreBody> {
  if (input.name.trim() === '') return { ok: false, message: '请输入门店名称' };
  return checkForm(UpdateStoreRequest, input, STORE_LABELS);
}

export function createStaffForm(input: {
  storeId: string;
  name: string;
  username: string;
  password: string;
  role: string;
}): FormResult<CreateStaffBody> {
  if (input.storeId === '') return { ok: false, message: '请选择门店' };
  return checkForm(CreateStaffRequest, input, STAFF_LABELS);
}

export function resetPasswordForm(password: string): FormResult<UpdateStaffBody> {
  if (password === '') return { ok: false, message: '请输入新密码' };
  if (password.length < 8) return { ok: false, message: '密码至少 8 位' };
  return checkForm(UpdateStaffRequest, { password }, STAFF_LABELS);
}
