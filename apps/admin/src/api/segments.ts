// Segments: saved combinations of tags, tier, RFM class, activity and profile fields; the live count of a definition
// being edited (with a few masked sample members), and recounting a saved one.
import {
  type CreateSegmentRequest,
  Segment,
  type SegmentDefinitionInput,
  SegmentPage,
  SegmentPaths,
  SegmentPreview,
  type UpdateSegmentRequest,
} from '@member-hub/shared';
import { apiRequest, ignoredAnswer } from '../api';
import { allPages, buildQuery, pathId } from './query';

export const SEGMENT_PAGE_SIZE = 20;
/** Sample members the editor shows under the live count. */
export const SEGMENT_SAMPLE_SIZE = 5;

export interface SegmentListParams {
  q?: string;
  pageNo: number;
  pageSize?: number;
}

export function segmentListPath({ q, pageNo, pageSize = SEGMENT_PAGE_SIZE }: SegmentListParams): string {
  return `${SegmentPaths.segments}${buildQuery({ q, page: pageNo, pageSize })}`;
}

export function listSegments(token: string, params: SegmentListParams): Promise<SegmentPage> {
  return apiRequest(segmentListPath(params), { token, schema: SegmentPage });
}

/** Every segment, for pickers (members filter, coupon pushes). */
export function listAllSegments(token: string): Promise<Segment[]> {
  return allPages((pageNo) => listSegments(token, { pageNo, pageSize: 100 }));
}

export function getSegment(token: string, id: string): Promise<Segment> {
  return apiRequest(SegmentPaths.segment(pathId(id)), { token, schema: Segment });
}

/** 201, counted on save. */
export function createSegment(token: string, body: CreateSegmentRequest): Promise<Segment> {
  return apiRequest(SegmentPaths.segments, { method: 'POST', token, body, schema: Segment });
}

/** Recounted when the definition changes. */
export function updateSegment(token: string, id: string, body: UpdateSegmentRequest): Promise<Segment> {
  return apiRequest(SegmentPaths.segment(pathId(id)), { method: 'PATCH', token, body, schema: Segment });
}

export async function deleteSegment(token: string, id: string): Promise<void> {
  await apiRequest(SegmentPaths.segment(pathId(id)), { method: 'DELETE', token, schema: ignoredAnswer });
}

/** The live count of a definition not saved yet, with a few of its members (phones masked). */
export function previewSegment(
  token: string,
  definition: SegmentDefinitionInput,
  sampleSize = SEGMENT_SAMPLE_SIZE,
): Promise<SegmentPreview> {
  return apiRequest(SegmentPaths.preview, {
    method: 'POST',
    token,
    body: { definition, sampleSize },
    schema: SegmentPreview,
  });
}

/** Counts a saved segment now; the server stores the count on it. */
export function countSegment(token: string, id: string): Promise<SegmentPreview> {
  return apiRequest(SegmentPaths.count(pathId(id)), { method: 'POST', token, schema: SegmentPreview });
}
