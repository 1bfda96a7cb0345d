import { ComingSoon } from '../../components/ComingSoon';

export default function CouponsPage() {
  return <ComingSoon title="优惠券" />;
}
