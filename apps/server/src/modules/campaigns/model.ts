// Campaigns and who each one assigned to which group. A member's row is created once per campaign (unique), and
// its action (coupon, points, message) is keyed `campaign:<campaign>:<member>`: a resumed or repeated pass gives
// nothing twice, and the control group is the members who were assigned and given nothing.
import type { CampaignAction, CampaignSchedule, CampaignStatus } from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';

export interface CampaignDoc {
  _id: Types.ObjectId;
  name: string;
  segmentId: Types.ObjectId;
  segmentName: string;
  action: CampaignAction;
  schedule: CampaignSchedule;
  controlPct: number;
  notify: boolean;
  status: CampaignStatus;
  treatment: number;
  control: number;
  /** The last member id of the pass in progress (passes walk the segment in id order). */
  cursor: Types.ObjectId | null;
  /** Daily campaigns: the China day whose pass finished last. */
  lastPassDay: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const CampaignSchema = new Schema<CampaignDoc>(
  {
    name: { type: String, required: true },
    segmentId: { type: Schema.Types.ObjectId, required: true },
    segmentName: { type: String, required: true },
    action: { type: Schema.Types.Mixed, required: true },
    schedule: { type: Schema.Types.Mixed, required: true },
    controlPct: { type: Number, required: true },
    notify: { type: Boolean, required: true },
    status: { type: String, required: true },
    treatment: { type: Number, default: 0 },
    control: { type: Number, default: 0 },
    cursor: { type: Schema.Types.ObjectId, default: null },
    lastPassDay: { type: String, default: null },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false, collection: 'campaigns' },
);
CampaignSchema.index({ status: 1 });

export interface CampaignMemberDoc {
  _id: Types.ObjectId;
  campaignId: Types.ObjectId;
  memberId: Types.ObjectId;
  group: 'treatment' | 'control';
  reachedAt: Date;
}

const CampaignMemberSchema = new Schema<CampaignMemberDoc>(
  {
    campaignId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    group: { type: String, required: true },
    reachedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'campaign_members' },
);
CampaignMemberSchema.index({ campaignId: 1, memberId: 1 }, { unique: true });

export function campaignModels(conn: Connection) {
  return {
    Campaigns:
      (conn.models.Campaign as Model<CampaignDoc> | undefined) ?? conn.model<CampaignDoc>('Campaign', CampaignSchema),
    Assigned:
      (conn.models.CampaignMember as Model<CampaignMemberDoc> | undefined) ??
      conn.model<CampaignMemberDoc>('CampaignMember', CampaignMemberSchema),
  };
}
