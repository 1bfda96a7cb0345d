// 数据备份's route, through route.ts's parseHash / routeHref / navKeyOf.
import { navKeyOf, parseHash, routeHref } from '../../route';

describe('backup route', () => {
  it('opens #/backup and nothing below it', () => {
    expect(parseHash('#/backup')).toEqual({ page: 'backup' });
    expect(parseHash('#/backup/latest').page).toBe('notFound');
    expect(routeHref({ page: 'backup' })).toBe('#/backup');
    expect(navKeyOf({ page: 'backup' })).toBe('backup');
  });
});
