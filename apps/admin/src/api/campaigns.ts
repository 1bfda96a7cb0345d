// Campaigns for the owner: the list, a draft from the editor, the dry-run of what the editor holds (who would be
// reached and what it could cost), starting and cancelling, and the results against the held-out control group.
import {
  Campaign,
  CampaignDryRun,
  type CampaignInput,
  CampaignList,
  CampaignPaths,
  CampaignResults,
} from '@member-hub/shared';
import { apiRequest } from '../api';
import { pathId } from './query';

/** What the editor sends: the shared input with its defaults filled in (control group, notify). */
export type CampaignBody = ReturnType<typeof CampaignInput.parse>;

const List = { parse: (input: unknown): Campaign[] => CampaignList.parse(input).campaigns };

export function listCampaigns(token: string): Promise<Campaign[]> {
  return apiRequest(CampaignPaths.campaigns, { token, schema: List });
}

/** 201 with the campaign as a draft: nothing happens until it is started. */
export function createCampaign(token: string, body: CampaignBody): Promise<Campaign> {
  return apiRequest(CampaignPaths.campaigns, { method: 'POST', token, body, schema: Campaign });
}

/** Counts the segment now and splits it as the campaign would; assigns and gives nothing. */
export function dryRunCampaign(token: string, body: CampaignBody): Promise<CampaignDryRun> {
  return apiRequest(CampaignPaths.dryRun, { method: 'POST', token, body, schema: CampaignDryRun });
}

export function getCampaign(token: string, id: string): Promise<Campaign> {
  return apiRequest(CampaignPaths.one(pathId(id)), { token, schema: Campaign });
}

/** Draft -> scheduled (a repeated tap answers the scheduled campaign); anything else is a CONFLICT. */
export function startCampaign(token: string, id: string): Promise<Campaign> {
  return apiRequest(CampaignPaths.start(pathId(id)), { method: 'POST', token, schema: Campaign });
}

/** Draft, scheduled or running -> cancelled; a finished one is a CONFLICT. */
export function cancelCampaign(token: string, id: string): Promise<Campaign> {
  return apiRequest(CampaignPaths.cancel(pathId(id)), { method: 'POST', token, schema: Campaign });
}

/** Reached, redeemed and revenue of the targeted members against the control group, as of now. */
export function getCampaignResults(token: string, id: string): Promise<CampaignResults> {
  return apiRequest(CampaignPaths.results(pathId(id)), { token, schema: CampaignResults });
}
