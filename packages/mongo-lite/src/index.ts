export { MongoError } from './errors';
export { type MongoLite, type MongoLiteOptions, startMongoLite } from './server';
