export * from './errors';
export * from './identity';
export * from './money';
export * from './points';
export * from './schemas';
