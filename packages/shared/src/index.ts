export * from './errors';
export * from './identity';
export * from './money';
export * from './schemas';
