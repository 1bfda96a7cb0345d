import { ComingSoon } from '../../components/ComingSoon';

export default function MinePage() {
  return <ComingSoon title="我的" />;
}
