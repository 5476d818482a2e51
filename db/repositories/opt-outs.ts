import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';

export interface OptOutDocument {
  /** `<entry point id>|<consumer pseudonym>`: opt-outs are per number, as carriers apply them. */
  _id: string;
  brandId: string;
  entryPointId: string;
  consumerPseudonym: string;
  optedOut: boolean;
  updatedAt: Date;
  history: { optedOut: boolean; at: Date; keyword: string }[];
}

export const optOutId = (entryPointId: string, consumerPseudonym: string) => `${entryPointId}|${consumerPseudonym}`;

export class OptOutRepository {
  private readonly optOuts: Collection<OptOutDocument>;

  constructor(db: Db) {
    this.optOuts = db.collection<OptOutDocument>(Collections.optOuts);
  }

  async set(input: { brandId: string; entryPointId: string; consumerPseudonym: string; optedOut: boolean; keyword: string; at: Date }) {
    await this.optOuts.updateOne(
      { _id: optOutId(input.entryPointId, input.consumerPseudonym) },
      {
        $set: { optedOut: input.optedOut, updatedAt: input.at },
        $setOnInsert: { brandId: input.brandId, entryPointId: input.entryPointId, consumerPseudonym: input.consumerPseudonym },
        $push: { history: { optedOut: input.optedOut, at: input.at, keyword: input.keyword } },
      },
      { upsert: true },
    );
  }

  async isOptedOut(entryPointId: string, consumerPseudonym: string): Promise<boolean> {
    const doc = await this.optOuts.findOne({ _id: optOutId(entryPointId, consumerPseudonym) });
    return doc?.optedOut ?? false;
  }
}
