export * from './coupons';
export * from './errors';
export * from './identity';
export * from './loyaltyDefaults';
export * from './money';
export * from './points';
export * from './schemas';
export * from './wallet';
