// The points mall item form: what the owner typed -> UpsertMallItemRequest, blank stock / limit meaning 不限; an
// item is a gift picked up in store or a coupon issued at once (of the chosen template).
import { formatPoints, type MallItem, UpsertMallItemRequest } from '@member-hub/shared';
import type { MallItemBody } from '../../api/loyalty';
import { checkForm, type FormResult } from '../../forms';
import { parseWhole } from '../../units';

export interface MallItemForm {
  title: string;
  description: string;
  imageUrl: string;
  pointsPrice: string;
  /** Blank = 不限. */
  stock: string;
  /** Blank = 不限. */
  perMemberLimit: string;
  kind: MallItem['kind'];
  /** The coupon template a 优惠券 item issues; '' while none is chosen (and for gifts). */
  couponTemplateId: string;
  active: boolean;
}

export const MALL_KIND_LABELS: Record<MallItem['kind'], string> = { gift: '礼品', coupon: '优惠券' };

const LABELS = {
  title: '名称',
  description: '描述',
  imageUrl: '图片地址',
  pointsPrice: '积分价格',
  stock: '库存',
  perMemberLimit: '每人限兑',
  couponTemplateId: '优惠券模板',
};

export function emptyMallForm(): MallItemForm {
  return {
    title: '',
    description: '',
    imageUrl: '',
    pointsPrice: '',
    stock: '',
    perMemberLimit: '',
    kind: 'gift',
    couponTemplateId: '',
    active: true,
  };
}

export function mallItemToForm(item: MallItem): MallItemForm {
  return {
    title: item.title,
    description: item.description,
    imageUrl: item.imageUrl ?? '',
    pointsPrice: String(item.pointsPrice),
    stock: item.stock === null ? '' : String(item.stock),
    perMemberLimit: item.perMemberLimit === null ? '' : String(item.perMemberLimit),
    kind: item.kind,
    couponTemplateId: item.couponTemplateId ?? '',
    active: item.active,
  };
}

/** The whole body for an item as it is, with `active` switched (the PATCH takes the full item). */
export function mallItemBody(item: MallItem, active: boolean): MallItemBody {
  return {
    title: item.title,
    description: item.description,
    imageUrl: item.imageUrl,
    pointsPrice: item.pointsPrice,
    stock: item.stock,
    perMemberLimit: item.perMemberLimit,
    kind: item.kind,
    couponTemplateId: item.kind === 'coupon' ? item.couponTemplateId : null,
    active,
  };
}

/** Blank -> null (不限), a whole number -> itself, anything else -> undefined (a problem). */
function optionalWhole(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  return parseWhole(text) ?? undefined;
}

export function mallForm(input: MallItemForm): FormResult<MallItemBody> {
  if (input.title.trim() === '') return { ok: false, message: '请输入名称' };
  if (input.pointsPrice.trim() === '') return { ok: false, message: '请输入积分价格' };
  const pointsPrice = parseWhole(input.pointsPrice);
  if (pointsPrice === null) return { ok: false, message: '积分价格请输入正整数' };
  const stock = optionalWhole(input.stock);
  if (stock === undefined) return { ok: false, message: '库存请输入整数，留空表示不限' };
  const perMemberLimit = optionalWhole(input.perMemberLimit);
  if (perMemberLimit === undefined) return { ok: false, message: '每人限兑请输入整数，留空表示不限' };
  if (perMemberLimit === 0) return { ok: false, message: '每人限兑至少为 1，留空表示不限' };
  const imageUrl = input.imageUrl.trim();
  if (imageUrl !== '' && !/^https?:\/\//i.test(imageUrl)) {
    return { ok: false, message: '图片地址需以 http:// 或 https:// 开头' };
  }
  if (input.kind === 'coupon' && input.couponTemplateId === '') return { ok: false, message: '请选择兑换的优惠券' };
  return checkForm(
    UpsertMallItemRequest,
    {
      title: input.title,
      description: input.description,
      imageUrl: imageUrl === '' ? null : imageUrl,
      pointsPrice,
      stock,
      perMemberLimit,
      kind: input.kind,
      // A gift keeps no template even if one was picked before switching the kind back.
      couponTemplateId: input.kind === 'coupon' ? input.couponTemplateId : null,
      active: input.active,
    },
    LABELS,
  );
}

/** 不限 for null, otherwise the number with separators. */
export function limitText(value: number | null, unit = ''): string {
  return value === null ? '不限' : `${formatPoints(value)}${unit}`;
}
