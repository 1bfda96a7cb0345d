export type { SandboxApp, SandboxAppConfig } from './apps';
export { DEFAULT_APP } from './apps';
export type { GrantSubscriptionInput, IssuedLoginCode, IssueLoginCodeInput } from './control/sandbox-control';
export { SandboxControl } from './control/sandbox-control';
export type { CallRecord, CallSummary } from './core/call-log';
export type { FailureInput, PendingFailureSummary } from './core/faults';
export type { MessageFilter, MessageLang, MiniprogramState, SentMessage } from './modules/messages/message-store';
export { ensureSandboxPayKeys, type SandboxPayKeys } from './modules/pay/keys';
export type {
  NotificationAttempt,
  NotificationCorruption,
  PayNotification,
  ReleaseOrder,
} from './modules/pay/notifications';
export type { PayTransaction, TradeState } from './modules/pay/orders';
export type { PayOptions } from './modules/pay/payments';
export type { PayRefund, RefundStatus } from './modules/pay/refunds';
export type { PhoneInfo } from './modules/phone/phone-codes';
export {
  isValidSubscribeValue,
  SUBSCRIBE_FIELD_TYPES,
  type SubscribeFieldType,
  subscribeFieldTypeOf,
} from './modules/subscribe-message/fields';
export type { SubscribeQuota } from './modules/subscribe-message/quotas';
export {
  SUBSCRIBE_TEMPLATES,
  type SubscribeTemplate,
  type SubscribeTemplateField,
} from './modules/subscribe-message/templates';
export type { EnvVersion, WxaCode } from './modules/wxacode/wxa-codes';
export { startWechatSandbox, type WechatSandbox, type WechatSandboxOptions } from './sandbox';
