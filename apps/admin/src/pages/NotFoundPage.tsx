import { OVERVIEW, routeHref } from '../route';

export function NotFoundPage() {
  return (
    <section className="page">
      <div className="card empty-state">
        <h2>页面不存在</h2>
        <p className="muted">链接可能有误或已失效。</p>
        <a className="button button-primary" href={routeHref(OVERVIEW)}>
          返回概览
        </a>
      </div>
    </section>
  );
}
