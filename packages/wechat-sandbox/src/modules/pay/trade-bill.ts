import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { CHINA_UTC_OFFSET_MS, chinaDate, chinaDateTime, chinaMidnight } from '../../core/china-time';
import type { SandboxClock } from '../../core/clock';
import { randomHex } from '../../core/ids';
import { formatYuan } from './money';
import type { PayOrder } from './orders';
import { payErrors } from './pay-errors';
import type { RefundRecord } from './refunds';
import type { TradeBillRequest } from './requests';

const DAY_MS = 86_400_000;
/** A day's trade bill is ready at 08:00 (China time) the next day; until then WeChat answers STATEMENT_CREATING. */
const READY_AFTER_MIDNIGHT_MS = DAY_MS + 8 * 3600 * 1000;
/** download_url works for 30 seconds. */
export const BILL_DOWNLOAD_TTL_MS = 30 * 1000;
/** The sandbox merchant's fee rate, 0.6% (WeChat's standard rate), rounded to the fen per line. */
const FEE_PER_MILLE = 6;
const FEE_RATE = '0.60%';

/** The ALL layout: every successful payment and refund of the day. */
const ALL_HEADER = [
  '交易时间',
  '公众账号ID',
  '商户号',
  '特约商户号',
  '设备号',
  '微信订单号',
  '商户订单号',
  '用户标识',
  '交易类型',
  '交易状态',
  '付款银行',
  '货币种类',
  '应结订单金额',
  '代金券金额',
  '微信退款单号',
  '商户退款单号',
  '退款金额',
  '充值券退款金额',
  '退款类型',
  '退款状态',
  '商品名称',
  '商户数据包',
  '手续费',
  '费率',
  '订单金额',
  '申请退款金额',
  '费率备注',
];
const SUMMARY_HEADER = [
  '总交易单数',
  '应结订单总金额',
  '退款总金额',
  '充值券退款总金额',
  '手续费总金额',
  '订单总金额',
  '申请退款总金额',
];

interface BillLine {
  at: number;
  cells: string[];
  settled: number;
  refunded: number;
  fee: number;
  ordered: number;
  refundApplied: number;
}

/** 申请交易账单 and 下载账单: bills are built when applied for and kept behind a short-lived token. */
export class TradeBills {
  private readonly files = new Map<string, { file: string | Buffer; expiresAt: number }>();

  constructor(private readonly clock: SandboxClock) {}

  apply(
    request: TradeBillRequest,
    orders: readonly PayOrder[],
    refunds: readonly RefundRecord[],
  ): { hashValue: string; token: string } {
    const now = this.clock.now();
    if (request.bill_date > chinaDate(now)) throw payErrors.invalidRequest('bill_date 不能晚于今天，请检查 bill_date');
    if (now < chinaMidnight(request.bill_date) + READY_AFTER_MIDNIGHT_MS) throw payErrors.statementCreating();
    if (request.bill_date < threeMonthsBefore(now)) throw payErrors.invalidRequest('仅支持下载三个月内的账单');
    const csv = tradeBillCsv(request.bill_date, orders, refunds);
    if (csv === undefined) throw payErrors.noStatementExist();
    const token = randomHex(24);
    this.files.set(token, {
      file: request.tar_type === 'GZIP' ? gzipSync(csv) : csv,
      expiresAt: now + BILL_DOWNLOAD_TTL_MS,
    });
    // The hash is of the bill itself, before any gzip (the merchant checks it after decompressing).
    return { hashValue: createHash('sha1').update(csv, 'utf8').digest('hex'), token };
  }

  download(token: string | undefined): string | Buffer | undefined {
    const stored = token === undefined ? undefined : this.files.get(token);
    return stored && this.clock.now() < stored.expiresAt ? stored.file : undefined;
  }

  reset(): void {
    this.files.clear();
  }
}

/**
 * WeChat's trade bill: a header row, one row per payment and per refund that succeeded on `billDate` (China time),
 * each value prefixed with a backtick (so spreadsheets keep long numbers as text), then the summary header and row.
 * Undefined when nothing happened that day (NO_STATEMENT_EXIST).
 */
export function tradeBillCsv(
  billDate: string,
  orders: readonly PayOrder[],
  refunds: readonly RefundRecord[],
): string | undefined {
  const onBillDate = (at: number | undefined): at is number => at !== undefined && chinaDate(at) === billDate;
  const lines = [
    ...orders.filter((order) => onBillDate(order.payment?.successTime)).map(paymentLine),
    ...refunds.filter((refund) => refund.status === 'SUCCESS' && onBillDate(refund.successTime)).map(refundLine),
  ].sort((a, b) => a.at - b.at);
  if (lines.length === 0) return undefined;
  const sum = (pick: (line: BillLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
  const summary = [
    String(lines.length),
    formatYuan(sum((line) => line.settled)),
    formatYuan(sum((line) => line.refunded)),
    '0.00',
    formatFee(sum((line) => line.fee)),
    formatYuan(sum((line) => line.ordered)),
    formatYuan(sum((line) => line.refundApplied)),
  ];
  return `${[ALL_HEADER.join(','), ...lines.map((line) => ticked(line.cells)), SUMMARY_HEADER.join(','), ticked(summary)].join('\r\n')}\r\n`;
}

function paymentLine(order: PayOrder): BillLine {
  const { request } = order;
  const at = order.payment?.successTime ?? 0;
  const total = request.amount.total;
  const fee = feeOf(total);
  return {
    at,
    cells: [
      ...orderCells(order, at, 'SUCCESS'),
      formatYuan(total),
      '0.00',
      '0',
      '0',
      '0.00',
      '0.00',
      '',
      '',
      request.description,
      request.attach ?? '',
      formatFee(fee),
      FEE_RATE,
      formatYuan(total),
      '0.00',
      '',
    ],
    settled: total,
    refunded: 0,
    fee,
    ordered: total,
    refundApplied: 0,
  };
}

/** A refund line keeps the payment's trade time (its own times are in the REFUND bill's extra columns). */
function refundLine(refund: RefundRecord): BillLine {
  const { order } = refund;
  const amount = refund.request.amount.refund;
  const fee = -feeOf(amount);
  return {
    at: refund.successTime ?? 0,
    cells: [
      ...orderCells(order, order.payment?.successTime ?? 0, 'REFUND'),
      '0.00',
      '0.00',
      refund.refundId,
      refund.request.out_refund_no,
      formatYuan(amount),
      '0.00',
      'ORIGINAL',
      'SUCCESS',
      order.request.description,
      order.request.attach ?? '',
      formatFee(fee),
      FEE_RATE,
      '0.00',
      formatYuan(amount),
      '',
    ],
    settled: 0,
    refunded: amount,
    fee,
    ordered: 0,
    refundApplied: amount,
  };
}

/** 交易时间 … 货币种类: the columns a payment and its refunds share. */
function orderCells(order: PayOrder, tradeTime: number, state: 'SUCCESS' | 'REFUND'): string[] {
  const { request, payment } = order;
  return [
    chinaDateTime(tradeTime),
    request.appid,
    request.mchid,
    '0',
    '',
    payment?.transactionId ?? '',
    request.out_trade_no,
    request.payer.openid,
    'JSAPI',
    state,
    'OTHERS',
    'CNY',
  ];
}

function ticked(cells: readonly string[]): string {
  return cells.map((cell) => `\`${cell}`).join(',');
}

function feeOf(fen: number): number {
  return Math.round((fen * FEE_PER_MILLE) / 1000);
}

/** Fees are written with five decimals (e.g. 0.07000). */
function formatFee(fen: number): string {
  return `${formatYuan(fen)}000`;
}

function threeMonthsBefore(now: number): string {
  const china = new Date(now + CHINA_UTC_OFFSET_MS);
  china.setUTCMonth(china.getUTCMonth() - 3);
  return china.toISOString().slice(0, 10);
}
