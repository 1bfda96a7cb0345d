import { mallItem } from '../../testing/loyalty-fixtures';
import { emptyMallForm, limitText, mallForm, mallItemBody, mallItemToForm } from './mallForms';

const TEMPLATE_ID = '65f0c0ffee0000000000dddd';
const filled = { ...emptyMallForm(), title: ' 帆布袋 ', pointsPrice: '500' };

describe('mallForm', () => {
  it('reads blanks as 不限 (null) and trims', () => {
    expect(mallForm(filled)).toEqual({
      ok: true,
      body: {
        title: '帆布袋',
        description: '',
        imageUrl: null,
        pointsPrice: 500,
        stock: null,
        perMemberLimit: null,
        kind: 'gift',
        couponTemplateId: null,
        active: true,
      },
    });
  });

  it('sends a coupon item with its template, and a gift without one', () => {
    const coupon = { ...filled, kind: 'coupon' as const, couponTemplateId: TEMPLATE_ID };
    expect(mallForm(coupon)).toMatchObject({ ok: true, body: { kind: 'coupon', couponTemplateId: TEMPLATE_ID } });
    expect(mallForm({ ...coupon, kind: 'gift' })).toMatchObject({
      ok: true,
      body: { kind: 'gift', couponTemplateId: null },
    });
    expect(mallForm({ ...coupon, couponTemplateId: '' })).toEqual({ ok: false, message: '请选择兑换的优惠券' });
  });

  it('reads stock and limit numbers, zero stock allowed', () => {
    const result = mallForm({
      ...filled,
      stock: '0',
      perMemberLimit: '2',
      imageUrl: ' https://img.example.com/a.png ',
    });
    expect(result).toMatchObject({
      ok: true,
      body: { stock: 0, perMemberLimit: 2, imageUrl: 'https://img.example.com/a.png' },
    });
  });

  it.each([
    [{ title: ' ' }, '请输入名称'],
    [{ pointsPrice: '' }, '请输入积分价格'],
    [{ pointsPrice: '1.5' }, '积分价格请输入正整数'],
    [{ pointsPrice: '0' }, '积分价格至少为 1'],
    [{ stock: '-1' }, '库存请输入整数，留空表示不限'],
    [{ perMemberLimit: '0' }, '每人限兑至少为 1，留空表示不限'],
    [{ imageUrl: 'ftp://x' }, '图片地址需以 http:// 或 https:// 开头'],
    [{ title: '好'.repeat(31) }, '名称最多 30 个字'],
  ])('refuses %p with %p', (patch, message) => {
    expect(mallForm({ ...filled, ...patch })).toEqual({ ok: false, message });
  });

  it('round-trips an item through the form', () => {
    const { id: _id, ...body } = mallItem;
    expect(mallForm(mallItemToForm(mallItem))).toEqual({ ok: true, body });
    expect(mallItemBody(mallItem, false)).toEqual({ ...body, active: false });

    const coupon = { ...mallItem, kind: 'coupon' as const, couponTemplateId: TEMPLATE_ID };
    expect(mallItemToForm(coupon)).toMatchObject({ kind: 'coupon', couponTemplateId: TEMPLATE_ID });
    expect(mallForm(mallItemToForm(coupon))).toMatchObject({ ok: true, body: { couponTemplateId: TEMPLATE_ID } });
    expect(mallItemBody(coupon, true)).toMatchObject({ kind: 'coupon', couponTemplateId: TEMPLATE_ID });
  });

  it('shows null as 不限', () => {
    expect(limitText(null)).toBe('不限');
    expect(limitText(1200, ' 件')).toBe('1,200 件');
  });
});
