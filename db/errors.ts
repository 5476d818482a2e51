import { MongoServerError } from 'mongodb';

/** A unique index refused the write (E11000): the arbiter of every "only one" in this code base. */
export const isDuplicateKey = (error: unknown): boolean => error instanceof MongoServerError && error.code === 11000;
