// Stable error codes: the one vocabulary the server, the mini-program and the admin page share.
// A code never changes meaning once shipped; clients switch on it, humans read `message`.
export const ErrorCodes = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数有误', en: 'Request validation failed' },
  MESSAGE_TEMPLATE_UNKNOWN: { status: 400, zh: '不是本小程序的订阅消息模板', en: 'Unknown subscription template' },
  MALFORMED_BODY: { status: 400, zh: '请求体格式错误', en: 'Malformed request body' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Authentication required' },
  TOKEN_INVALID: { status: 401, zh: '登录凭证无效', en: 'Invalid session token' },
  TOKEN_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Session token expired' },
  FORBIDDEN: { status: 403, zh: '没有权限', en: 'Forbidden' },
  INVALID_CREDENTIALS: { status: 401, zh: '账号或密码错误', en: 'Wrong account or password' },
  WECHAT_CODE_INVALID: {
    status: 400,
    zh: '登录码无效或已使用，请重新进入',
    en: 'WeChat login code invalid, expired or used',
  },
  WECHAT_RATE_LIMITED: { status: 429, zh: '操作太频繁，请稍后再试', en: 'WeChat rate limit' },
  WECHAT_RISKY_USER: { status: 403, zh: '账号存在风险，暂时无法登录', en: 'WeChat flagged this user as high risk' },
  WECHAT_UNAVAILABLE: { status: 502, zh: '微信服务暂时不可用，请稍后再试', en: 'WeChat service unavailable' },
  MEMBER_CODE_INVALID: { status: 400, zh: '会员码无效，请让顾客刷新会员码', en: 'Member code invalid' },
  MEMBER_CODE_EXPIRED: { status: 400, zh: '会员码已过期，请让顾客刷新会员码', en: 'Member code expired' },
  MEMBER_CODE_USED: { status: 409, zh: '会员码已被使用，请让顾客刷新会员码', en: 'Member code already used' },
  MEMBER_CODE_OTHER_BRAND: { status: 400, zh: '这不是本品牌的会员码', en: 'Member code belongs to another brand' },
  PHONE_CODE_INVALID: { status: 400, zh: '手机号授权已失效，请重新授权', en: 'Phone authorisation code invalid' },
  PHONE_ALREADY_BOUND: { status: 409, zh: '已绑定手机号', en: 'A phone number is already bound' },
  BIRTHDAY_LOCKED: {
    status: 409,
    zh: '生日设置后不能自行修改，请到店由店员修改',
    en: 'Birthday can only be changed by staff',
  },
  MEMBER_MERGED: { status: 409, zh: '该会员已合并到其他会员', en: 'Member was merged into another member' },
  MEMBER_DELETED: { status: 410, zh: '该会员已注销', en: 'Member account deleted' },
  MERGE_INVALID: { status: 400, zh: '无法合并这两个会员', en: 'These members cannot be merged' },
  INVITE_INVALID: { status: 400, zh: '邀请码无效或已过期', en: 'Invite code invalid or expired' },
  USERNAME_TAKEN: { status: 409, zh: '账号已被使用', en: 'Username already taken' },
  STORE_CODE_TAKEN: { status: 409, zh: '门店编码已存在', en: 'Store code already exists' },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'Account disabled' },
  MEMBER_NOT_SCANNED: {
    status: 409,
    zh: '请先扫描会员码再记录消费',
    en: 'Scan the member code before recording a purchase',
  },
  TASK_DAILY_CAP: { status: 409, zh: '今日任务积分已达上限，明天再来吧', en: 'Daily task points cap reached' },
  TASK_LIMIT_REACHED: { status: 409, zh: '该任务今日次数已用完', en: 'Task limit reached' },
  TASK_ALREADY_DONE: { status: 409, zh: '该任务已完成', en: 'Task already done' },
  SIGNATURE_INVALID: { status: 401, zh: '签名无效', en: 'Request signature invalid' },
  TIMESTAMP_SKEW: {
    status: 401,
    zh: '请求时间与服务器相差超过 5 分钟',
    en: 'Request timestamp more than 5 minutes off',
  },
  REQUEST_REPLAYED: { status: 409, zh: '重复的请求（nonce 已使用）', en: 'Request replayed (nonce already used)' },
  OUT_OF_STOCK: { status: 409, zh: '已兑完', en: 'Out of stock' },
  LIMIT_REACHED: { status: 409, zh: '已达到兑换上限', en: 'Redemption limit reached' },
  INSUFFICIENT_POINTS: { status: 409, zh: '积分不足', en: 'Not enough points' },
  OFFSET_TOO_LARGE: {
    status: 400,
    zh: '积分抵扣超过订单金额上限',
    en: 'Points offset exceeds the allowed share of the order',
  },
  ORDER_CONFLICT: {
    status: 409,
    zh: '该订单号已用于另一笔不同的订单',
    en: 'Order id already used for a different order',
  },
  INSUFFICIENT_BALANCE: { status: 409, zh: '余额不足', en: 'Insufficient balance' },
  PACKAGE_UNAVAILABLE: { status: 409, zh: '该充值套餐暂不可用', en: 'Top-up package not available' },
  PACKAGE_LIMIT_REACHED: { status: 409, zh: '该充值套餐已达购买次数上限', en: 'Top-up package limit reached' },
  PAYMENT_NOT_PAYABLE: { status: 409, zh: '该订单已支付或已关闭', en: 'Payment already paid or closed' },
  PAYMENT_UNAVAILABLE: { status: 503, zh: '微信支付暂时不可用，请稍后再试', en: 'WeChat Pay unavailable' },
  CHARGE_NOT_PENDING: { status: 409, zh: '该收款已处理或已取消', en: 'Charge is no longer pending' },
  CHARGE_EXPIRED: { status: 409, zh: '收款已超时，请让店员重新发起', en: 'Charge expired' },
  PAY_CODE_INVALID: { status: 400, zh: '付款码无效或已过期，请刷新后重试', en: 'Payment code invalid or expired' },
  REFUND_NOT_ALLOWED: { status: 409, zh: '该笔不可退款', en: 'Refund not allowed' },
  COUPON_SOLD_OUT: { status: 409, zh: '优惠券已领完', en: 'Coupon stock exhausted' },
  COUPON_LIMIT_REACHED: { status: 409, zh: '已达到领取上限', en: 'Coupon limit per member reached' },
  COUPON_NOT_CLAIMABLE: { status: 409, zh: '该优惠券不可领取', en: 'Coupon cannot be claimed' },
  COUPON_NOT_USABLE: { status: 409, zh: '该优惠券不能用于本单', en: 'Coupon cannot be used on this order' },
  COUPON_USED: { status: 409, zh: '优惠券已被使用', en: 'Coupon already used' },
  COUPON_NOT_STACKABLE: {
    status: 409,
    zh: '该优惠券不能与其他优惠券同时使用',
    en: 'Coupon cannot be combined with others',
  },
  REFERRAL_TOKEN_INVALID: { status: 404, zh: '邀请链接无效', en: 'Invite link invalid' },
  REFERRAL_SELF: { status: 409, zh: '不能接受自己的邀请', en: 'Members cannot invite themselves' },
  REFERRAL_ALREADY_BOUND: { status: 409, zh: '你已接受过邀请', en: 'Member already has an inviter' },
  REFERRAL_NOT_NEW: { status: 409, zh: '仅新注册会员可以接受邀请', en: 'Only new members can accept an invite' },
  REFERRAL_PHONE_REGISTERED: {
    status: 409,
    zh: '该手机号已是会员，不能再被邀请',
    en: 'This phone is already a member',
  },
  REFERRAL_INVITER_LIMIT: {
    status: 429,
    zh: '邀请人今日邀请人数已达上限，明天再试',
    en: 'Inviter daily limit reached',
  },
  REFERRAL_DISABLED: { status: 409, zh: '邀请活动未开启', en: 'Referrals are disabled' },
  TAG_NAME_TAKEN: { status: 409, zh: '已有同名标签', en: 'A tag with this name exists' },
  TAG_NOT_MANUAL: {
    status: 409,
    zh: '规则标签由系统按规则计算，不能手动添加或移除会员',
    en: 'Members of a rule tag follow its rule',
  },
  TAG_IN_USE: { status: 409, zh: '该标签正被分群使用，请先修改这些分群', en: 'Tag is used by segments' },
  SEGMENT_NAME_TAKEN: { status: 409, zh: '已有同名分群', en: 'A segment with this name exists' },
  BACKUP_ARCHIVE_CORRUPT: {
    status: 400,
    zh: '备份文件已损坏：不是完整的 tar.gz，或有一行无法读取',
    en: 'Backup archive is corrupt (not a complete tar.gz, or a line does not parse)',
  },
  BACKUP_MANIFEST_MISSING: {
    status: 400,
    zh: '备份文件缺少清单 manifest.json',
    en: 'Backup archive has no manifest.json',
  },
  BACKUP_FORMAT_UNSUPPORTED: {
    status: 400,
    zh: '不是本系统的备份文件，或备份版本不受支持',
    en: 'Not a member-hub backup, or an unsupported backup version',
  },
  BACKUP_CHECKSUM_MISMATCH: {
    status: 400,
    zh: '备份内容与清单不符（条数或校验和不一致）',
    en: 'Backup content does not match its manifest (count or checksum)',
  },
  BACKUP_TARGET_NOT_EMPTY: {
    status: 409,
    zh: '目标数据库不是空的：备份只能恢复到空数据库',
    en: 'Target database is not empty: a backup restores into an empty database only',
  },
  BACKUP_INVARIANTS_FAILED: {
    status: 409,
    zh: '恢复的数据未通过账本校验（余额与流水合计不符）',
    en: 'Restored data fails the ledger checks (balances differ from their entries)',
  },
  NOT_FOUND: { status: 404, zh: '资源不存在', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'Route not found' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持的请求方法', en: 'Method not allowed' },
  CONFLICT: { status: 409, zh: '数据冲突，请重试', en: 'Conflict' },
  RATE_LIMITED: { status: 429, zh: '操作太频繁，请稍后再试', en: 'Too many requests' },
  DATABASE_UNAVAILABLE: { status: 503, zh: '服务暂时不可用', en: 'Database unavailable' },
  INTERNAL: { status: 500, zh: '服务器开小差了，请稍后再试', en: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** The one shape every error response has. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    'error' in value &&
    typeof (value as ErrorBody).error?.code === 'string'
  );
}
