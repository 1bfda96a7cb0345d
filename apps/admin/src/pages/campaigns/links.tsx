// What the campaign pages share: the way back to the list, and the key of the one-time message a page leaves for the
// campaign's own page (a draft just saved).
import { routeHref } from '../../route';

export function campaignFlashKey(id: string): string {
  return `campaign:${id}`;
}

export function BackLink() {
  return (
    <a className="back-link" href={routeHref({ page: 'campaigns' })}>
      ← 返回活动列表
    </a>
  );
}
