// 储值负债: the stored value members hold (principal they paid + bonus given on top) — money the shop owes in goods.
import { formatFen, formatPoints, type WalletLiability } from '@member-hub/shared';
import { isRouteMissing } from '../../api';
import { getWalletLiability } from '../../api/wallet';
import { StatFallback } from '../../ui';
import type { LoadState } from '../../useLoad';

/** For useLoad: null while the server does not have the stored-value routes yet. */
export function loadWalletLiability(token: string): Promise<WalletLiability | null> {
  return getWalletLiability(token).catch((error: unknown) => {
    if (isRouteMissing(error)) return null;
    throw error;
  });
}

const HINT = '会员储值余额合计：本金是会员实付的充值金额，赠送是套餐额外赠送的金额，消费时两者按比例扣减';

export function WalletLiabilityCard({ state }: { state: LoadState<WalletLiability | null> }) {
  const liability = state.data;
  return (
    <article className="card stat-card stat-wallet-liability" aria-busy={state.status === 'loading'} title={HINT}>
      <h3 className="stat-label">储值负债</h3>
      {liability ? (
        <>
          <p className="stat-value wallet-liability-total" data-fen={liability.totalFen}>
            {formatFen(liability.totalFen)}
          </p>
          <dl className="liability-split">
            <div>
              <dt>本金</dt>
              <dd className="wallet-liability-principal">{formatFen(liability.principalFen)}</dd>
            </div>
            <div>
              <dt>赠送</dt>
              <dd className="wallet-liability-bonus">{formatFen(liability.bonusFen)}</dd>
            </div>
            <div>
              <dt>持有会员</dt>
              <dd className="wallet-liability-members">{formatPoints(liability.members)} 位</dd>
            </div>
          </dl>
        </>
      ) : (
        <StatFallback state={state} />
      )}
    </article>
  );
}
